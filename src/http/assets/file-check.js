// Files refused before they are sent. A file too large or of a kind the form
// does not take would be refused by the server only after the whole upload,
// and a refused form loses every file chosen. With this script, a file that
// cannot be accepted is refused as soon as it is chosen: the field says why,
// the summary above the form lists it, and the form is not sent until it is
// replaced. Without the script the server refuses it with the same words.
/* global document */
(function () {
  'use strict';

  const inputs = [...document.querySelectorAll('input[type="file"][data-wrong-type]')];
  if (inputs.length === 0) return;

  /** Problems by the input's id, in the order of the inputs on the page. */
  const problems = new Map();

  function accepted(input, file) {
    const types = (input.accept || '').split(',').map((type) => type.trim().toLowerCase());
    return types.includes('') || types.includes(file.type.toLowerCase());
  }

  function problemOf(input) {
    const max = Number(input.dataset.maxBytes || 0);
    for (const file of input.files || []) {
      if (!accepted(input, file)) return input.dataset.wrongType.replace('{fileName}', file.name);
      if (max > 0 && file.size > max) {
        return input.dataset.tooLarge.replace('{fileName}', file.name);
      }
    }
    return '';
  }

  function describedBy(input, id, on) {
    const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    const rest = ids.filter((other) => other !== id);
    input.setAttribute('aria-describedby', (on ? [...rest, id] : rest).join(' '));
  }

  /** The message above the control, like the server's own field errors. */
  function showAtField(input, message) {
    const id = `${input.id}-check`;
    let note = document.getElementById(id);
    if (!message) {
      if (note) note.remove();
      describedBy(input, id, false);
      if (!document.getElementById(`${input.id}-error`)) input.removeAttribute('aria-invalid');
      return;
    }
    if (!note) {
      note = document.createElement('p');
      note.id = id;
      note.className = 'field-error';
      input.before(note);
    }
    note.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    describedBy(input, id, true);
  }

  function summaryFor(form) {
    let summary = document.getElementById('file-check-summary');
    if (summary) return summary;
    summary = document.createElement('section');
    summary.id = 'file-check-summary';
    summary.className = 'error-summary';
    summary.tabIndex = -1;
    summary.setAttribute('role', 'alert');
    summary.setAttribute('aria-labelledby', 'file-check-summary-title');
    const title = document.createElement('h2');
    title.id = 'file-check-summary-title';
    title.textContent = form.dataset.fileCheckTitle || '';
    summary.append(title, document.createElement('ul'));
    form.before(summary);
    return summary;
  }

  function showSummary(form) {
    const summary = summaryFor(form);
    const list = summary.querySelector('ul');
    list.replaceChildren();
    for (const input of inputs) {
      const message = problems.get(input.id);
      if (!message) continue;
      const link = document.createElement('a');
      link.href = `#${input.id}`;
      link.textContent = `${input.dataset.label}: ${message}`;
      const item = document.createElement('li');
      item.append(link);
      list.append(item);
    }
    summary.hidden = list.children.length === 0;
  }

  for (const input of inputs) {
    input.addEventListener('change', () => {
      const message = problemOf(input);
      // The file cannot be sent: it is taken out, and the field asks for another.
      if (message) input.value = '';
      problems.set(input.id, message);
      showAtField(input, message);
      if (input.form) showSummary(input.form);
    });
  }

  // Capturing, so that no other script of the form (the proof of work) sends it first.
  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      const pending = inputs.some((input) => input.form === form && problems.get(input.id));
      if (!pending) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const summary = document.getElementById('file-check-summary');
      if (summary) summary.focus();
    },
    true,
  );
})();
