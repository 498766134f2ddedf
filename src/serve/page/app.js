// ampel serve: the page's script. Files dropped or chosen are sent one request each to
// api/analyse (a few at a time, with upload progress); each answer carries the document in
// German and English and its downloads, so switching the language asks the server nothing.
// Everything from a document or a file name goes into the page as text, never as markup.
'use strict';
(function () {
  var WORDS = JSON.parse(document.getElementById('words').textContent);
  var body = document.body;
  var LIMITS = {
    maxUpload: Number(body.dataset.maxUpload) || 0,
    maxFiles: Number(body.dataset.maxFiles) || 1,
    parallel: Math.max(1, Number(body.dataset.parallel) || 1)
  };
  var RETRIES = 20;
  var items = [];
  var queue = [];
  var running = 0;
  var nextId = 1;
  var lang = initialLanguage();

  function initialLanguage() {
    var stored = null;
    try { stored = window.localStorage.getItem('ampel-lang'); } catch (e) { stored = null; }
    if (stored === 'de' || stored === 'en') return stored;
    var wanted = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
    return /^de\b/i.test(wanted) ? 'de' : 'en';
  }

  function w() { return WORDS[lang]; }

  // Fills {name} marks; values are plain text.
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  // el('p', {class: 'x', 'data-y': 'z'}, 'text', child, …): strings become text nodes.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value === true ? '' : value);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      if (Array.isArray(child)) child.forEach(function (c) { if (c) node.append(c); });
      else node.append(child);
    }
    return node;
  }

  // node.replaceChildren with arrays among the children flattened and nulls left out (an
  // array given to replaceChildren itself would become text).
  function replace(node) {
    var children = [];
    (function collect(list) {
      list.forEach(function (c) {
        if (Array.isArray(c)) collect(c);
        else if (c !== null && c !== undefined) children.push(c);
      });
    }(Array.prototype.slice.call(arguments, 1)));
    node.replaceChildren.apply(node, children);
  }

  function size(bytes) {
    if (bytes >= 1024 * 1024) return (Math.round(bytes / 1024 / 1024 * 10) / 10) + ' MiB';
    if (bytes >= 1024) return Math.round(bytes / 1024) + ' KiB';
    return bytes + ' B';
  }

  function notice(text) {
    var box = document.getElementById('notice');
    box.textContent = text || '';
    box.hidden = !text;
  }

  // The words of the page and the language switch.
  function translate() {
    document.documentElement.lang = lang;
    document.title = 'ampel – ' + w().title;
    document.querySelectorAll('[data-w]').forEach(function (node) {
      node.textContent = w()[node.dataset.w];
    });
    document.getElementById('formats').textContent =
      fill(w().formats, { size: size(LIMITS.maxUpload), files: LIMITS.maxFiles });
    document.querySelectorAll('#languages button').forEach(function (b) {
      b.setAttribute('aria-pressed', b.dataset.lang === lang ? 'true' : 'false');
    });
  }

  function setLanguage(code) {
    lang = code;
    try { window.localStorage.setItem('ampel-lang', code); } catch (e) { /* private mode */ }
    translate();
    notice('');
    items.forEach(render);
    summary();
  }

  // Taking files: the count and size limits are checked here first, so the user hears at
  // once; the server checks them again.
  function add(files) {
    notice('');
    var busy = items.filter(function (i) { return i.state === 'waiting' || i.state === 'uploading' || i.state === 'analysing'; }).length;
    var room = Math.max(0, LIMITS.maxFiles - busy);
    var list = Array.prototype.slice.call(files);
    var messages = [];
    if (list.length > room) {
      messages.push(fill(w().too_many, { files: LIMITS.maxFiles, left: list.length - room }));
      list = list.slice(0, room);
    }
    list.forEach(function (file) {
      if (LIMITS.maxUpload && file.size > LIMITS.maxUpload) {
        messages.push(fill(w().too_large, { name: file.name, size: size(LIMITS.maxUpload) }));
        return;
      }
      var item = { id: nextId++, file: file, name: file.name, state: 'waiting', percent: 0, tries: 0 };
      items.push(item);
      item.node = el('li', { class: 'doc', id: 'doc-' + item.id });
      document.getElementById('results').append(item.node);
      render(item);
      queue.push(item);
    });
    notice(messages.join(' '));
    summary();
    pump();
  }

  function pump() {
    while (running < LIMITS.parallel && queue.length) send(queue.shift());
  }

  function finish(item) {
    running--;
    render(item);
    summary();
    pump();
  }

  function problemOf(xhr) {
    try {
      var answer = JSON.parse(xhr.responseText);
      if (answer && answer.error) return answer.error;
    } catch (e) { /* not JSON */ }
    return null;
  }

  function send(item) {
    running++;
    item.state = 'uploading';
    item.percent = 0;
    render(item);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', 'api/analyse?name=' + encodeURIComponent(item.name));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      item.percent = Math.round(e.loaded / e.total * 100);
      render(item);
    };
    xhr.upload.onload = function () { item.state = 'analysing'; render(item); };
    xhr.onload = function () {
      if (xhr.status === 200) {
        try {
          item.answer = JSON.parse(xhr.responseText);
          item.state = 'done';
        } catch (e) {
          item.state = 'failed';
          item.error = null;
        }
      } else if (xhr.status === 503 && item.tries < RETRIES) {
        // The server has as many files as it takes at once: wait and send again.
        item.tries++;
        item.state = 'waiting';
        running--;
        render(item);
        setTimeout(function () { queue.unshift(item); pump(); }, 1000 + 250 * item.tries);
        return;
      } else {
        item.state = 'failed';
        item.error = problemOf(xhr);
      }
      finish(item);
    };
    xhr.onerror = function () {
      item.state = 'failed';
      item.error = { en: WORDS.en.offline, de: WORDS.de.offline };
      finish(item);
    };
    xhr.send(item.file);
  }

  function download(name, type, content) {
    var blob = new Blob([content], { type: type });
    var url = URL.createObjectURL(blob);
    var a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function fromBase64(text) {
    var raw = atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function stem(name) {
    var dot = name.lastIndexOf('.');
    return dot > 0 ? name.slice(0, dot) : name;
  }

  function downloads(item) {
    var d = item.answer.downloads[lang];
    var base = stem(item.answer.name);
    var offers = [
      ['json', w().json, base + '.ampel.json', 'application/json', d.json],
      ['html', w().html, base + '.ampel.html', 'text/html', d.html]
    ];
    if (d.letter_markdown) {
      offers.push(['letter-md', w().letter_markdown, base + '.' + w().letter_file + '.md', 'text/markdown', d.letter_markdown]);
    }
    if (d.letter_docx) {
      offers.push(['letter-docx', w().letter_docx, base + '.' + w().letter_file + '.docx',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document', d.letter_docx]);
    }
    return el('div', { class: 'downloads' },
      el('span', { class: 'downloads-label', text: w().downloads + ':' }),
      offers.map(function (o) {
        var b = el('button', { type: 'button', class: 'download', 'data-download': o[0], text: o[1] });
        b.addEventListener('click', function () {
          download(o[2], o[3], o[0] === 'letter-docx' ? fromBase64(o[4]) : o[4]);
        });
        return b;
      }));
  }

  function checklist(view) {
    return el('table', { class: 'checklist' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', class: 'mark' }),
        el('th', { scope: 'col', text: w().requirement }),
        el('th', { scope: 'col', text: w().status }),
        el('th', { scope: 'col', text: w().found_at }))),
      el('tbody', {}, view.checklist.map(function (row) {
        return el('tr', { class: 'mark-' + row.mark + (row.severity ? ' sev-' + row.severity : '') },
          el('td', { class: 'mark', text: row.symbol }),
          el('td', {}, row.title + ' ', el('code', { text: row.requirement })),
          el('td', { class: 'word', text: row.word }),
          el('td', { class: 'where', text: row.places }));
      })));
  }

  function finding(f) {
    return el('article', { class: 'finding sev-' + f.severity },
      el('h4', {}, el('span', { class: 'badge sev-' + f.severity, text: f.badge }), ' ' + f.title),
      el('p', { class: 'rule' }, w().rule + ': ', el('code', { text: f.rule }), ' · ' + w().legal_basis + ': ' + f.legal_basis),
      f.quotes.map(function (q) {
        return el('blockquote', {},
          el('p', { text: q.text }),
          el('footer', { text: q.place + (q.ocr ? ' [' + w().ocr + ']' : '') }));
      }),
      f.looked.map(function (line) { return el('p', { class: 'looked', text: line }); }),
      f.track ? el('p', { class: 'track', text: f.track }) : null,
      f.rationale ? el('p', { class: 'rationale' }, el('strong', { text: w().rationale + ': ' }), f.rationale) : null,
      el('p', { class: 'recommendation' }, el('strong', { text: w().recommendation + ': ' }), f.recommendation),
      f.waiver ? el('p', { class: 'waiver', text: f.waiver }) : null);
  }

  function stateText(item) {
    switch (item.state) {
      case 'waiting': return w().waiting;
      case 'uploading': return fill(w().uploading, { percent: item.percent });
      case 'analysing': return w().analysing;
      default: return w().failed;
    }
  }

  function render(item) {
    var node = item.node;
    if (item.state === 'done') {
      var view = item.answer.views[lang];
      node.dataset.state = 'done';
      node.dataset.ampel = view.light;
      replace(node,
        el('h2', {},
          el('span', { class: 'light ' + view.light, 'aria-hidden': 'true' }),
          el('span', { class: 'verdict', text: view.verdict }),
          el('span', { class: 'name', text: item.answer.name })),
        view.meta.length ? el('p', { class: 'meta', text: view.meta.join(' · ') }) : null,
        view.problem ? el('p', { class: 'problem' },
          el('strong', { text: view.problem.title }), ' ',
          el('code', { text: view.problem.status }), ' ',
          el('span', { class: 'message', text: view.problem.message })) : null,
        downloads(item),
        view.problem ? null : el('details', { class: 'checklist-box', open: true },
          el('summary', { text: w().checklist }), checklist(view)),
        view.problem ? null : el('h3', { text: w().findings }),
        view.problem ? null : (view.findings.length ? view.findings.map(finding) : el('p', { text: w().no_findings })));
      return;
    }
    node.dataset.state = item.state;
    node.dataset.ampel = 'unknown';
    var busy = item.state === 'uploading' || item.state === 'analysing';
    var progress = null;
    if (item.state === 'uploading') progress = el('progress', { max: '100', value: String(item.percent) });
    else if (item.state === 'analysing') progress = el('progress', {});
    var error = null;
    if (item.state === 'failed') {
      error = el('p', { class: 'problem' },
        el('span', { class: 'message', text: item.error ? (item.error[lang] || item.error.en) : w().bad_answer }));
    }
    replace(node,
      el('h2', {},
        el('span', { class: 'light unknown' + (busy ? ' busy' : ''), 'aria-hidden': 'true' }),
        el('span', { class: 'state', text: stateText(item) }),
        el('span', { class: 'name', text: item.name })),
      progress, error);
  }

  function summary() {
    var done = items.filter(function (i) { return i.state === 'done' || i.state === 'failed'; });
    var counts = { documents: done.length, red: 0, yellow: 0, green: 0, unknown: 0 };
    done.forEach(function (i) {
      var light = i.answer ? i.answer.ampel : 'unknown';
      counts[light] = (counts[light] || 0) + 1;
    });
    document.getElementById('summary').textContent = fill(w().summary, counts);
    document.getElementById('summary-bar').hidden = items.length === 0;
  }

  function clear() {
    items = items.filter(function (i) {
      var finished = i.state === 'done' || i.state === 'failed';
      if (finished) i.node.remove();
      return !finished;
    });
    summary();
  }

  // Wiring.
  var drop = document.getElementById('drop');
  drop.hidden = false;
  var input = document.getElementById('files');
  input.addEventListener('change', function () {
    add(input.files);
    input.value = '';
  });
  ['dragenter', 'dragover'].forEach(function (type) {
    document.addEventListener(type, function (e) {
      e.preventDefault();
      drop.classList.add('over');
    });
  });
  ['dragleave', 'dragend'].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (e.target === document.documentElement || e.target === drop) drop.classList.remove('over');
    });
  });
  document.addEventListener('drop', function (e) {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.files.length) add(e.dataTransfer.files);
  });
  document.querySelectorAll('#languages button').forEach(function (b) {
    b.addEventListener('click', function () { setLanguage(b.dataset.lang); });
  });
  document.getElementById('clear').addEventListener('click', clear);
  translate();
  summary();
}());
