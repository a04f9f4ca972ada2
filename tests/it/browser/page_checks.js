// What a person needs of every page of the gateway, checked in the page itself.
// Called as a WebDriver script with one argument, `phone` (bool); returns a list of problems,
// each a sentence naming the element. Runs with page JavaScript disabled too: WebDriver scripts
// do not depend on it.
const phone = arguments[0];
const problems = [];

const visible = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
};
const describe = (el) => {
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40);
  return `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}${el.name ? ' name=' + el.name : ''}> "${text}"`;
};

const fields = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')];

// Every field has a label a screen reader announces and a tap on it focuses.
for (const el of fields) {
  if (el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) {
    problems.push(`${describe(el)} has no label`);
  }
}

// Password managers and phone keyboards read `autocomplete` (WHATWG HTML, "autofill"):
// user name, current password, one-time codes; the enrolment key is not something to fill.
for (const el of fields) {
  if (el.type === 'radio' || el.type === 'checkbox') continue;
  let want;
  if (el.name === 'username') want = 'username';
  else if (el.type === 'password') want = 'current-password';
  else if (el.name === 'code' || el.name === 'backup_code') want = 'one-time-code';
  else if (el.readOnly) want = 'off';
  else want = '(a value)';
  const got = el.getAttribute('autocomplete');
  if (want === '(a value)' ? !got : got !== want) {
    problems.push(`${describe(el)} has autocomplete=${got}, expected ${want}`);
  }
}

// App codes are digits: a numeric keypad. Backup codes have letters: a full keyboard (so does
// a field that takes either, marked data-letters).
for (const el of document.querySelectorAll('input[autocomplete=one-time-code]')) {
  const backup = el.id.includes('backup') || el.hasAttribute('data-letters');
  const numeric = el.getAttribute('inputmode') === 'numeric';
  if (backup && numeric) problems.push(`${describe(el)} takes letters but asks for a numeric keypad`);
  if (!backup && !numeric) problems.push(`${describe(el)} takes digits but has no inputmode=numeric`);
}

if (phone) {
  // Nothing wider than the screen: no sideways scrolling.
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide on a ${width} px screen`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (visible(el) && r.right > width + 0.5) {
      problems.push(`${describe(el)} reaches ${Math.round(r.right)} px on a ${width} px screen`);
      break;
    }
  }
  // Tap targets of at least 44 × 44 CSS px (WCAG 2.5.5). A radio button or checkbox is tapped
  // through the label around it.
  const targets = [...document.querySelectorAll('a[href], button, summary, input:not([type=hidden]), select, textarea')]
    .map((el) => ((el.type === 'radio' || el.type === 'checkbox') && el.closest('label')) || el)
    .filter(visible);
  for (const el of new Set(targets)) {
    const r = el.getBoundingClientRect();
    if (r.height < 44 - 0.5 || r.width < 44 - 0.5) {
      problems.push(`${describe(el)} is a ${Math.round(r.width)} × ${Math.round(r.height)} px tap target`);
    }
  }
}

return problems;
