// Passkeys on Portcullis' pages: the one step that needs script (W3C WebAuthn Level 2).
// A button with data-webauthn="get" or "create" runs the ceremony: its options come from the
// button's data-options (a registration the server started after a fresh second factor) or
// from POST data-challenge (an assertion's challenge, or a first factor's registration). The browser's answer goes into the form field named
// by data-field, as {"ceremony","credential"} JSON, and the form is submitted as usual.
// Served inline under a CSP hash of this exact text: no other script can run on the page.
(() => {
  "use strict";
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const enc = (b) => btoa(String.fromCharCode(...new Uint8Array(b)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const supported = !!(window.PublicKeyCredential && navigator.credentials);
  for (const el of document.querySelectorAll("[data-webauthn-unsupported]")) el.hidden = supported;

  async function options(button) {
    if (button.dataset.options) return JSON.parse(button.dataset.options);
    const r = await fetch(button.dataset.challenge, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(button.dataset.purpose ? { purpose: button.dataset.purpose } : {}),
    });
    if (!r.ok) throw Object.assign(new Error("challenge " + r.status), { name: "ChallengeError" });
    return r.json();
  }

  async function ceremony(button) {
    const { ceremony, options: { publicKey: pk } } = await options(button);
    pk.challenge = dec(pk.challenge);
    if (button.dataset.webauthn === "create") {
      pk.user.id = dec(pk.user.id);
      for (const c of pk.excludeCredentials || []) c.id = dec(c.id);
      const c = await navigator.credentials.create({ publicKey: pk });
      return { ceremony, credential: {
        id: c.id, rawId: enc(c.rawId), type: c.type,
        response: {
          attestationObject: enc(c.response.attestationObject),
          clientDataJSON: enc(c.response.clientDataJSON),
          transports: c.response.getTransports ? c.response.getTransports() : undefined,
        },
        extensions: c.getClientExtensionResults(),
      } };
    }
    for (const c of pk.allowCredentials || []) c.id = dec(c.id);
    const c = await navigator.credentials.get({ publicKey: pk });
    return { ceremony, credential: {
      id: c.id, rawId: enc(c.rawId), type: c.type,
      response: {
        authenticatorData: enc(c.response.authenticatorData),
        clientDataJSON: enc(c.response.clientDataJSON),
        signature: enc(c.response.signature),
        userHandle: c.response.userHandle ? enc(c.response.userHandle) : null,
      },
      extensions: c.getClientExtensionResults(),
    } };
  }

  for (const button of document.querySelectorAll("button[data-webauthn]")) {
    const form = button.form;
    const status = form.querySelector("[data-webauthn-status]");
    if (!supported) { button.disabled = true; continue; }
    button.addEventListener("click", async (ev) => {
      ev.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      if (status) status.textContent = "";
      try {
        const answer = await ceremony(button);
        form.elements[button.dataset.field || "code"].value = JSON.stringify(answer);
        if (button.dataset.method && form.elements.method) form.elements.method.value = button.dataset.method;
        form.submit();
      } catch (e) {
        button.disabled = false;
        const key = e.name === "NotAllowedError" ? "cancelled"
          : e.name === "InvalidStateError" ? "registered" : "failed";
        if (status) status.textContent = (status.dataset[key] || status.dataset.failed || e.name);
      }
    });
  }
})();
