// The report form's proof of work (ALTCHA): fetches a challenge, finds the
// number whose SHA-256 with the salt matches it, and puts the signed solution
// in the form's hidden `altcha` field, so the server can tell a person's
// report from a script's. Nothing depends on it: without JavaScript, or where
// Web Crypto is missing (it needs HTTPS), the form is sent as it is and the
// reviewer sees the report flagged instead.
/* global document, window */
(function () {
  'use strict';

  const form = document.querySelector('form[data-altcha]');
  const field = form && form.querySelector('input[name="altcha"]');
  const status = document.getElementById('altcha-status');
  if (!form || !field || !status) return;

  /** The server's challenges live 20 minutes; an older solution is found anew before sending. */
  const freshForMs = 15 * 60 * 1000;
  /** Hashes computed between two pauses, so typing and scrolling stay smooth. */
  const batchSize = 2000;
  const encoder = new TextEncoder();
  const subtle = window.crypto && window.crypto.subtle;

  function show(state) {
    status.textContent = status.dataset[state] || '';
  }

  if (!subtle || typeof window.fetch !== 'function') {
    show('unavailable');
    return;
  }

  function pause() {
    return new Promise((resolve) => window.setTimeout(resolve, 0));
  }

  function toHex(buffer) {
    return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join(
      '',
    );
  }

  async function fetchChallenge() {
    const response = await window.fetch(form.dataset.altcha, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin',
    });
    if (!response.ok) throw new Error('challenge unavailable: HTTP ' + response.status);
    return response.json();
  }

  async function digestOf(text) {
    return toHex(await subtle.digest('SHA-256', encoder.encode(text)));
  }

  async function solve(challenge) {
    if (challenge.algorithm !== 'SHA-256') throw new Error('unknown algorithm');
    for (let start = 0; start <= challenge.maxnumber; start += batchSize) {
      const end = Math.min(start + batchSize - 1, challenge.maxnumber);
      const numbers = [];
      for (let n = start; n <= end; n++) numbers.push(n);
      const digests = await Promise.all(numbers.map((n) => digestOf(challenge.salt + n)));
      const found = digests.indexOf(challenge.challenge);
      if (found !== -1) return start + found;
      await pause();
    }
    throw new Error('no solution');
  }

  /** Solves a fresh challenge; resolves to the time it was solved, or null when it could not be. */
  async function prepare() {
    field.value = '';
    show('working');
    try {
      const challenge = await fetchChallenge();
      const number = await solve(challenge);
      field.value = window.btoa(
        JSON.stringify({
          algorithm: challenge.algorithm,
          challenge: challenge.challenge,
          number: number,
          salt: challenge.salt,
          signature: challenge.signature,
        }),
      );
      show('ready');
      return Date.now();
    } catch {
      field.value = '';
      show('unavailable');
      return null;
    }
  }

  let solved = prepare();
  let sending = false;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // A second press while the first is on its way would file the report twice.
    if (sending) return;
    sending = true;
    solved
      .then((solvedAt) => {
        if (solvedAt !== null && Date.now() - solvedAt > freshForMs) solved = prepare();
        return solved;
      })
      .then(() => form.submit());
  });

  // Back to the page from the browser's cache: the form may be sent again.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    sending = false;
    solved = prepare();
  });
})();
