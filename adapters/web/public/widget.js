/*
 * セキュリティ相談チャット ウィジェット
 *
 *   <script src="https://HOST/widget.js" data-org="ORG_ID" async></script>
 *
 * Adds a chat button and panel to any page. Plain JavaScript, no framework, styles isolated in
 * a shadow root so the host page's CSS cannot break it (and ours cannot break the page).
 * Talks to the web API documented in docs/web-api.md.
 */
(function () {
  'use strict';
  if (window.__smeDeskWidget) return; // loaded twice: keep the first
  window.__smeDeskWidget = true;

  var script =
    document.currentScript ||
    document.querySelector('script[src*="widget.js"][data-org]') ||
    document.querySelector('script[src*="widget.js"]');
  var base = new URL(script.src, location.href).origin;
  var org = script.getAttribute('data-org') || '';
  var title = script.getAttribute('data-title') || 'セキュリティ相談';
  var storageKey = 'sme-desk:' + base + ':' + org;
  var api = base + '/api/web';

  // ---- state kept across reloads ------------------------------------------------------
  function load() {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || 'null') || {};
    } catch (e) {
      return {};
    }
  }
  function save() {
    try {
      localStorage.setItem(storageKey, JSON.stringify(saved));
    } catch (e) {
      /* private mode: the session lasts as long as the page */
    }
  }
  var saved = load(); // { sessionId, token, open }
  var lastSeq = 0;
  var stream = null;
  var reconnectDelay = 1000;
  var reconnectTimer = null;
  var outbox = []; // messages waiting to be sent (kept in order)
  var sending = false;

  // ---- DOM -----------------------------------------------------------------------------
  var host = document.createElement('div');
  host.id = 'sme-desk-widget';
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  root.innerHTML =
    '<style>' +
    ':host{all:initial}' +
    '*{box-sizing:border-box;font-family:"Noto Sans JP","Hiragino Sans","Yu Gothic UI",Meiryo,sans-serif}' +
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;' +
    'background:#0b5cad;color:#fff;font-size:16px;font-weight:bold;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}' +
    '.launcher:focus-visible,button:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}' +
    '.panel{position:fixed;right:20px;bottom:86px;z-index:2147483001;width:380px;max-width:calc(100vw - 40px);height:560px;' +
    'max-height:calc(100vh - 120px);display:flex;flex-direction:column;background:#fff;color:#1a1a1a;border-radius:12px;' +
    'box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden;font-size:15px;line-height:1.6}' +
    '.panel[hidden]{display:none}' +
    'header{display:flex;align-items:center;justify-content:space-between;padding:10px 14px;background:#0b5cad;color:#fff}' +
    'header h2{margin:0;font-size:16px}' +
    '.close{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:4px 8px}' +
    '.status{padding:4px 14px;font-size:13px;background:#fff4d6;color:#5c4400}' +
    '.status:empty{display:none}' +
    '.log{position:relative;flex:1;overflow-y:auto;padding:12px;background:#f4f6f9}' +
    '.msg{margin:0 0 10px;display:flex;flex-direction:column}' +
    '.bubble{max-width:88%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-break:break-word}' +
    '.user{align-items:flex-end}.user .bubble{background:#0b5cad;color:#fff;border-bottom-right-radius:4px}' +
    '.bot .bubble,.adviser .bubble{background:#fff;border:1px solid #d8dee6;border-bottom-left-radius:4px}' +
    '.adviser .who{font-size:12px;color:#555;margin-bottom:2px}' +
    '.system{align-items:center}.system .bubble{background:transparent;color:#555;font-size:13px}' +
    '.bubble a{color:inherit}' +
    '.choices{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px;max-width:95%}' +
    '.choices button{border:1px solid #0b5cad;background:#fff;color:#0b5cad;border-radius:16px;padding:6px 12px;font-size:14px;cursor:pointer}' +
    '.choices button:hover{background:#e8f0fa}' +
    '.choices button:disabled{border-color:#bbb;color:#999;cursor:default;background:#f7f7f7}' +
    '.card{margin-top:6px;max-width:88%;border:1px solid #d8dee6;border-radius:10px;background:#fff;padding:8px 12px}' +
    '.card h3{margin:0 0 4px;font-size:14px}.card p{margin:0 0 6px;font-size:14px;white-space:pre-wrap}' +
    '.card a{display:inline-block;margin:2px 8px 2px 0;color:#0b5cad}' +
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid #d8dee6;background:#fff}' +
    'textarea{flex:1;resize:none;border:1px solid #b8c2cf;border-radius:8px;padding:8px;font-size:16px;line-height:1.4;max-height:120px}' +
    '.send{border:0;border-radius:8px;background:#0b5cad;color:#fff;font-size:15px;padding:0 16px;cursor:pointer}' +
    '.send:disabled{background:#9bb3cc}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
    '.attach{border:1px solid #b8c2cf;border-radius:8px;background:#fff;color:#0b5cad;font-size:20px;width:44px;cursor:pointer}' +
    '.preview{display:flex;gap:10px;align-items:center;padding:8px 10px;border-top:1px solid #d8dee6;background:#f8fafc;font-size:13px}' +
    '.preview[hidden]{display:none}' +
    '.preview img{max-width:72px;max-height:72px;border-radius:6px;border:1px solid #ccc}' +
    '.preview .info{flex:1;min-width:0;overflow-wrap:anywhere}' +
    '.preview progress{width:100%}' +
    '.preview button{border:1px solid #0b5cad;background:#fff;color:#0b5cad;border-radius:8px;padding:6px 10px;cursor:pointer;min-height:36px}' +
    '.preview .go{background:#0b5cad;color:#fff}' +
    '.thumb{margin-top:4px;max-width:70%;border-radius:8px;border:1px solid #d8dee6;background:#fff}' +
    '.thumb img{display:block;max-width:100%;max-height:220px;border-radius:8px}' +
    '.file{margin-top:4px;font-size:13px}' +
    '.panel.drop{outline:3px dashed #0b5cad;outline-offset:-6px}' +
    '@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}' +
    '.launcher{right:12px;bottom:12px}}' +
    '</style>' +
    '<button class="launcher" type="button" aria-haspopup="dialog" aria-expanded="false" aria-controls="panel"></button>' +
    '<section class="panel" id="panel" role="dialog" aria-modal="false" aria-labelledby="title" hidden>' +
    '<header><h2 id="title"></h2><button class="close" type="button" aria-label="チャットを閉じる">×</button></header>' +
    '<div class="status" role="status" aria-live="polite"></div>' +
    '<div class="log" role="log" aria-live="polite" aria-relevant="additions" tabindex="0" aria-label="会話"></div>' +
    '<div class="preview" hidden role="group" aria-label="送る前の確認"><img alt="送る画像のプレビュー" hidden>' +
    '<div class="info"><div class="name"></div><progress max="100" value="0" hidden></progress></div>' +
    '<button type="button" class="go">送る</button><button type="button" class="cancel">やめる</button></div>' +
    '<form><label class="sr" for="input">メッセージ</label>' +
    '<button class="attach" type="button" aria-label="画像やPDFを添付">📎</button>' +
    '<input class="file-input" type="file" accept="image/png,image/jpeg,image/gif,image/webp,application/pdf" hidden>' +
    '<textarea id="input" rows="2" maxlength="2000" placeholder="ご相談内容を入力（Enter で送信、Shift+Enter で改行）"></textarea>' +
    '<button class="send" type="submit">送信</button></form>' +
    '</section>';

  var launcher = root.querySelector('.launcher');
  var panel = root.querySelector('.panel');
  var closeBtn = root.querySelector('.close');
  var log = root.querySelector('.log');
  var status = root.querySelector('.status');
  var form = root.querySelector('form');
  var input = root.querySelector('textarea');
  var sendBtn = root.querySelector('.send');
  var attachBtn = root.querySelector('.attach');
  var fileInput = root.querySelector('.file-input');
  var preview = root.querySelector('.preview');
  var previewImg = preview.querySelector('img');
  var previewName = preview.querySelector('.name');
  var progress = preview.querySelector('progress');
  var goBtn = preview.querySelector('.go');
  var cancelBtn = preview.querySelector('.cancel');
  launcher.textContent = title;
  root.querySelector('#title').textContent = title;

  function mount() {
    document.body.appendChild(host);
    if (saved.open) openPanel(false);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // ---- open / close --------------------------------------------------------------------
  function openPanel(focus) {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    saved.open = true;
    save();
    ensureSession();
    if (focus !== false) input.focus();
  }
  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    saved.open = false;
    save();
    launcher.focus();
  }
  launcher.addEventListener('click', function () {
    if (panel.hidden) openPanel();
    else closePanel();
  });
  closeBtn.addEventListener('click', closePanel);
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') closePanel();
  });

  // ---- talking to the API ----------------------------------------------------------------
  function setStatus(text) {
    status.textContent = text || '';
  }

  function request(method, path, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (saved.token) headers.Authorization = 'Bearer ' + saved.token;
    return fetch(api + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined }).then(
      function (res) {
        return res.text().then(function (text) {
          var data = null;
          try {
            data = text ? JSON.parse(text) : null;
          } catch (e) {
            data = null;
          }
          return { status: res.status, data: data, retryAfter: Number(res.headers.get('Retry-After')) || 0 };
        });
      },
    );
  }

  var creating = null;
  function ensureSession() {
    if (saved.sessionId && saved.token) {
      if (!stream) connect();
      return Promise.resolve();
    }
    if (creating) return creating;
    setStatus('接続しています…');
    creating = request('POST', '/sessions', org ? { org: org } : {})
      .then(function (r) {
        if (r.status !== 201) throw r;
        saved.sessionId = r.data.sessionId;
        saved.token = r.data.token;
        save();
        lastSeq = 0;
        log.textContent = '';
        connect();
      })
      .catch(function (r) {
        var msg = r && r.data && r.data.error ? r.data.error.message : '相談窓口に接続できませんでした。';
        setStatus(msg + ' 自動で再試行します。');
        scheduleReconnect();
      })
      .then(function () {
        creating = null;
      });
    return creating;
  }

  function forgetSession() {
    if (stream) stream.close();
    stream = null;
    saved.sessionId = null;
    saved.token = null;
    save();
  }

  function connect() {
    if (stream) stream.close();
    clearTimeout(reconnectTimer);
    var url =
      api + '/sessions/' + encodeURIComponent(saved.sessionId) + '/stream?token=' + encodeURIComponent(saved.token) + '&after=' + lastSeq;
    var es = new EventSource(url);
    stream = es;
    es.onopen = function () {
      reconnectDelay = 1000;
      setStatus('');
      flush();
    };
    es.onmessage = function (e) {
      try {
        render(JSON.parse(e.data));
      } catch (err) {
        /* a malformed event is skipped; the next one carries on */
      }
    };
    es.onerror = function () {
      if (es.readyState === EventSource.CONNECTING) {
        setStatus('接続が切れました。再接続しています…');
        return; // the browser retries by itself, sending Last-Event-ID
      }
      // Closed for good (an HTTP error): ask the API why.
      es.close();
      if (stream === es) stream = null;
      request('GET', '/sessions/' + encodeURIComponent(saved.sessionId) + '/messages?after=' + lastSeq + '&limit=1')
        .then(function (r) {
          if (r.status === 401 || r.status === 404) {
            // The session is gone (or the token lost): start a new conversation.
            forgetSession();
            setStatus('以前の会話は終了しました。新しい会話を始めます。');
            return ensureSession();
          }
          setStatus('接続が切れました。再接続しています…');
          scheduleReconnect(r.retryAfter);
        })
        .catch(function () {
          setStatus('ネットワークに接続できません。再接続しています…');
          scheduleReconnect();
        });
    };
  }

  function scheduleReconnect(seconds) {
    clearTimeout(reconnectTimer);
    var delay = seconds ? seconds * 1000 : reconnectDelay;
    reconnectDelay = Math.min(reconnectDelay * 2, 30000);
    reconnectTimer = setTimeout(function () {
      if (saved.sessionId) connect();
      else ensureSession();
    }, delay);
  }

  window.addEventListener('online', function () {
    if (!panel.hidden || saved.sessionId) {
      reconnectDelay = 1000;
      if (saved.sessionId) connect();
      else ensureSession();
    }
  });

  // Messages are sent one at a time, in order; a network failure keeps them queued.
  function enqueue(body) {
    outbox.push(body);
    flush();
  }
  function flush() {
    if (sending || outbox.length === 0 || !saved.sessionId) return;
    sending = true;
    var body = outbox[0];
    request('POST', '/sessions/' + encodeURIComponent(saved.sessionId) + '/messages', body)
      .then(function (r) {
        sending = false;
        if (r.status === 202) {
          outbox.shift();
          setStatus('');
          flush();
          return;
        }
        if (r.status === 429) {
          setStatus(r.data && r.data.error ? r.data.error.message : '少し待ってから送ります…');
          setTimeout(flush, (r.retryAfter || 2) * 1000);
          return;
        }
        if (r.status === 401 || r.status === 404) {
          forgetSession();
          ensureSession().then(flush);
          return;
        }
        // Rejected for good (too long, empty...): tell the user, drop it.
        outbox.shift();
        setStatus(r.data && r.data.error ? r.data.error.message : '送信できませんでした。');
        flush();
      })
      .catch(function () {
        sending = false;
        setStatus('送信できませんでした。ネットワークが戻ったら自動で送ります。');
        setTimeout(flush, 3000);
      });
  }

  // ---- attachments: pick, paste or drop; preview; upload with progress ----------------------
  var MAX_FILE = 10 * 1024 * 1024;
  var ACCEPTED = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];
  var pending = null; // { file, url }
  var uploading = null;

  function choose(file) {
    if (!file) return;
    if (file.size > MAX_FILE) {
      setStatus('ファイルが大きすぎます（10 MB まで）。画面の一部を写すか、画像を小さくしてから送ってください。');
      return;
    }
    if (ACCEPTED.indexOf(file.type) < 0 && file.type !== '') {
      setStatus('送れるのは画像（PNG・JPEG・GIF・WebP）と PDF だけです。');
      return;
    }
    clearPending();
    pending = { file: file, url: file.type.indexOf('image/') === 0 ? URL.createObjectURL(file) : null };
    previewImg.hidden = !pending.url;
    if (pending.url) previewImg.src = pending.url;
    previewName.textContent = (file.name || 'スクリーンショット') + '（' + Math.max(1, Math.round(file.size / 1024)) + ' KB）' + (input.value.trim() ? '　入力中の文も一緒に送ります' : '');
    progress.hidden = true;
    goBtn.disabled = false;
    preview.hidden = false;
    setStatus('');
    goBtn.focus();
  }
  function clearPending() {
    if (pending && pending.url) URL.revokeObjectURL(pending.url);
    pending = null;
    preview.hidden = true;
  }
  function upload() {
    if (!pending || uploading) return;
    ensureSession().then(function () {
      if (!saved.sessionId || !pending) return;
      var file = pending.file;
      var caption = input.value.trim();
      var xhr = new XMLHttpRequest();
      uploading = xhr;
      xhr.open('POST', api + '/sessions/' + encodeURIComponent(saved.sessionId) + '/attachments');
      xhr.setRequestHeader('Authorization', 'Bearer ' + saved.token);
      xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      if (file.name) xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
      if (caption) xhr.setRequestHeader('X-Caption', encodeURIComponent(caption));
      progress.hidden = false;
      progress.value = 0;
      goBtn.disabled = true;
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
      };
      xhr.onload = function () {
        uploading = null;
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        if (xhr.status === 202) {
          if (caption) input.value = '';
          clearPending();
          return;
        }
        goBtn.disabled = false;
        progress.hidden = true;
        setStatus(data && data.error ? data.error.message : '送信できませんでした。もう一度お試しください。');
      };
      xhr.onerror = function () {
        uploading = null;
        goBtn.disabled = false;
        progress.hidden = true;
        setStatus('送信できませんでした。ネットワークを確かめて、もう一度「送る」を押してください。');
      };
      xhr.send(file);
    });
  }
  attachBtn.addEventListener('click', function () { fileInput.click(); });
  fileInput.addEventListener('change', function () {
    choose(fileInput.files && fileInput.files[0]);
    fileInput.value = '';
  });
  goBtn.addEventListener('click', upload);
  cancelBtn.addEventListener('click', function () {
    if (uploading) uploading.abort();
    uploading = null;
    clearPending();
    setStatus('');
    input.focus();
  });
  // A screenshot pasted with Ctrl+V / ⌘V.
  input.addEventListener('paste', function (e) {
    var items = (e.clipboardData && e.clipboardData.files) || [];
    if (items.length) {
      e.preventDefault();
      choose(items[0]);
    }
  });
  // A file dropped anywhere on the panel.
  panel.addEventListener('dragover', function (e) {
    if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') >= 0) {
      e.preventDefault();
      panel.classList.add('drop');
    }
  });
  panel.addEventListener('dragleave', function () { panel.classList.remove('drop'); });
  panel.addEventListener('drop', function (e) {
    panel.classList.remove('drop');
    if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) {
      e.preventDefault();
      choose(e.dataTransfer.files[0]);
    }
  });

  /** A thumbnail of an attachment, fetched with the session's token (an <img> cannot send it). */
  function attachmentView(a) {
    var box = document.createElement('div');
    var url = api + '/sessions/' + encodeURIComponent(saved.sessionId) + '/attachments/' + encodeURIComponent(a.id);
    var headers = { Authorization: 'Bearer ' + saved.token };
    if (a.mime === 'application/pdf') {
      box.className = 'file';
      box.textContent = '📄 ' + (a.name || 'PDF');
      return box;
    }
    box.className = 'thumb';
    var img = document.createElement('img');
    img.alt = a.name ? '送った画像 ' + a.name : '送った画像';
    box.appendChild(img);
    fetch(url + '?thumb=1', { headers: headers })
      .then(function (r) { return r.ok ? r.blob() : null; })
      .then(function (b) { if (b) img.src = URL.createObjectURL(b); });
    return box;
  }

  // ---- rendering ---------------------------------------------------------------------------
  // Web addresses, e-mail addresses and phone numbers in a message become links: a worried user
  // taps the number to call (tel:) rather than copying it. 「#9110」 needs its # escaped.
  var LINK_RE = /https?:\/\/[^\s）)」、]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|0\d{1,4}-\d{1,4}-\d{3,4}|#\d{4}/g;
  function linkFor(found) {
    if (/^https?:/.test(found)) return { href: found, external: true };
    if (found.indexOf('@') > 0) return { href: 'mailto:' + found, external: false };
    return { href: 'tel:' + found.replace(/-/g, '').replace('#', '%23'), external: false };
  }
  function appendText(el, text) {
    var last = 0;
    text.replace(LINK_RE, function (found, at) {
      var before = text.charAt(at - 1);
      // Part of a longer number or word: leave it as text.
      if (/^[0#]/.test(found) && /[\d\w-]/.test(before)) return found;
      el.appendChild(document.createTextNode(text.slice(last, at)));
      var link = linkFor(found);
      var a = document.createElement('a');
      a.href = link.href;
      a.textContent = found;
      if (link.external) {
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
      }
      el.appendChild(a);
      last = at + found.length;
      return found;
    });
    el.appendChild(document.createTextNode(text.slice(last)));
  }
  /** Card buttons open web pages, call or write; nothing else (never javascript:). */
  function safeHref(url) {
    return /^(https?:|tel:|mailto:)/i.test(url) ? url : null;
  }

  function disableOldChoices() {
    var buttons = log.querySelectorAll('.choices button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }

  // A long answer is read from its start: keep the first reply after the user's message in view
  // rather than jumping to the end of the last bubble.
  var lastFrom = null;
  var anchor = null;

  function render(m) {
    if (!m || typeof m.seq !== 'number' || m.seq <= lastSeq) return; // each message once
    lastSeq = m.seq;
    if (m.from === 'user') disableOldChoices();
    var row = document.createElement('div');
    row.className = 'msg ' + (m.from === 'user' || m.from === 'adviser' || m.from === 'system' ? m.from : 'bot');
    if (m.from === 'adviser') {
      var who = document.createElement('div');
      who.className = 'who';
      who.textContent = m.author ? '相談員 ' + m.author : '相談員';
      row.appendChild(who);
    }
    var bubble = document.createElement('div');
    bubble.className = 'bubble';
    var sr = document.createElement('span');
    sr.className = 'sr';
    sr.textContent = m.from === 'user' ? 'あなた: ' : m.from === 'adviser' ? '相談員: ' : m.from === 'system' ? '' : 'ボット: ';
    bubble.appendChild(sr);
    appendText(bubble, m.text || '');
    row.appendChild(bubble);
    (m.attachments || []).forEach(function (a) {
      row.appendChild(attachmentView(a));
    });

    (m.cards || []).forEach(function (c) {
      var card = document.createElement('div');
      card.className = 'card';
      var h = document.createElement('h3');
      h.textContent = c.title;
      card.appendChild(h);
      if (c.body) {
        var p = document.createElement('p');
        p.textContent = c.body;
        card.appendChild(p);
      }
      (c.buttons || []).forEach(function (b) {
        if (b.url) {
          var href = safeHref(b.url);
          if (!href) return;
          var a = document.createElement('a');
          a.href = href;
          a.textContent = b.label;
          if (/^https?:/i.test(href)) {
            a.target = '_blank';
            a.rel = 'noopener noreferrer';
          }
          card.appendChild(a);
        } else if (b.value) {
          card.appendChild(choiceButton(b));
        }
      });
      row.appendChild(card);
    });

    if (m.choices && m.choices.length) {
      var box = document.createElement('div');
      box.className = 'choices';
      box.setAttribute('role', 'group');
      box.setAttribute('aria-label', '選択肢');
      m.choices.forEach(function (c) {
        box.appendChild(choiceButton(c));
      });
      row.appendChild(box);
    }
    if (m.from === 'user') anchor = null;
    else if (!anchor && lastFrom === 'user') anchor = row;
    lastFrom = m.from;
    log.appendChild(row);
    log.scrollTop = anchor ? Math.max(0, anchor.offsetTop - 8) : log.scrollHeight;
  }

  function choiceButton(c) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = c.label;
    b.addEventListener('click', function () {
      disableOldChoices();
      enqueue({ choice: c.value });
      input.focus();
    });
    return b;
  }

  // ---- input -----------------------------------------------------------------------------
  function submit() {
    var text = input.value.trim();
    if (!text) return;
    if (Array.from(text).length > 2000) {
      setStatus('メッセージが長すぎます（2000 文字まで）。分けて送ってください。');
      return;
    }
    input.value = '';
    enqueue({ text: text });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submit();
  });
  input.addEventListener('keydown', function (e) {
    // Enter sends, but never while a Japanese IME is composing (the Enter confirms the kanji).
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
})();
