// How many modal dialogs are open: a new one is a new screen for the customer. Only a real one counts: open and
// visible, not busy (aria-busy: a spinner or loading overlay dressed as a dialog), and asking something (a question
// mark) or offering controls; a dialog inside another is the same screen.
() => {
  const dialogs = 'dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]';
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=link], ' +
    '[role=checkbox], [role=radio], [role=textbox], [role=combobox], [role=menuitem], [role=tab], [contenteditable=true]';
  const visible = e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null);
  const asks = e => /[?？؟]/.test(e.innerText || '') || [...e.querySelectorAll(controls)].some(visible);
  return [...document.querySelectorAll(dialogs)]
    .filter(e => !(e.parentElement && e.parentElement.closest(dialogs)))
    .filter(e => visible(e) && e.getAttribute('aria-busy') !== 'true' && asks(e)).length;
}
