// The visible links and buttons of a page, for the cancel search (explore:cancel): real sites use links,
// <button>s, <input type=submit> ("Delete account") and role=button elements alike.
() => [...document.querySelectorAll('a[href], button, input[type=submit], input[type=button], [role=button]')]
  .filter(e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null))
  .map(e => {
    const r = e.getBoundingClientRect();
    const link = e.closest('a[href]');
    return {text: (e.innerText || (e.tagName === 'INPUT' ? e.value : '') || e.getAttribute('aria-label') || '')
              .trim().replace(/\s+/g, ' ').slice(0, 120),
            href: link ? link.href : '', tag: e.tagName.toLowerCase(),
            submits: (e.tagName === 'BUTTON' || e.tagName === 'INPUT') && !link && (e.type === 'submit' || !!e.form),

            font_px: parseFloat(getComputedStyle(e).fontSize) || 0, area: Math.round(r.width * r.height),
            collapsed: !!e.closest('details:not([open]), [aria-expanded="false"], [hidden]')};
  })
