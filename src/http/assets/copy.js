// Tracking codes and links people keep. Without this script each sits in a
// read-only field that a triple click or Ctrl+A selects whole; with it, a
// click in the field selects it all, and a copy button (rendered hidden, so
// nobody without the script sees a button that does nothing) copies it.
/* global document */
(function () {
  'use strict';

  for (const field of document.querySelectorAll('input.copy-value')) {
    const selectAll = () => field.select();
    field.addEventListener('focus', selectAll);
    field.addEventListener('click', selectAll);
  }
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(`${button.dataset.copy}-status`);
    if (!field || !status) continue;
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText('value' in field ? field.value : field.textContent).then(
        () => {
          status.textContent = button.dataset.copied;
        },
        () => field.select(),
      );
    });
  }
})();
