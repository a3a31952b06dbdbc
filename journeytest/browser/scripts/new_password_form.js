// Is the page asking for a new password right after a login (a forced change, catalogue C2)?
() => [...document.querySelectorAll('input[type=password]')]
  .filter(e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null)).length
