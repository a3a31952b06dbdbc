// What checks read about a screen: its text and its visible controls (with size, for prominence).
() => {
  const visible = e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null);
  const label = e => (e.innerText || e.value || e.getAttribute('aria-label') || e.getAttribute('title') || '').trim().replace(/\s+/g, ' ').slice(0, 200);
  const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, [role=button], [role=link]')]
    .filter(visible).slice(0, 300).map(e => {
      const r = e.getBoundingClientRect();
      return {tag: e.tagName.toLowerCase(), type: (e.getAttribute('type') || '').toLowerCase(), text: label(e),
              href: e.getAttribute('href') || '', required: e.required === true || e.getAttribute('aria-required') === 'true',
              area: Math.round(r.width * r.height), name: e.getAttribute('name') || '',
              font_px: parseFloat(getComputedStyle(e).fontSize) || 0,
              collapsed: !!e.closest('details:not([open]), [aria-expanded="false"]')};
    });
  const captcha = !!document.querySelector('iframe[src*="recaptcha"], iframe[src*="hcaptcha"], iframe[src*="turnstile"], .g-recaptcha, .h-captcha, .cf-turnstile');
  return {url: location.href, title: document.title, lang: document.documentElement.lang || '',
          text: document.body ? document.body.innerText.slice(0, 20000) : '', controls, captcha};
}
