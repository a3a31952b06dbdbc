// Is the page asking for a new password (a forced change after a login, catalogue C2)? A login form has one
// password field; a form to set one has a field marked autocomplete=new-password, or two (new + confirm).
() => {
  const shown = [...document.querySelectorAll('input[type=password]')]
    .filter(e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null));
  return shown.some(e => (e.getAttribute('autocomplete') || '').includes('new-password')) || shown.length >= 2;
}
