// How many modal dialogs are open: a new one is a new screen for the customer.
() => [...document.querySelectorAll('dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]')]
  .filter(e => (e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null)).length
