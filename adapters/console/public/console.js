// The advisers' console: plain JavaScript over /api/console (docs/console-api.md). It keeps no
// state the server does not have: lists and the open case are re-read when an event says so.
(function () {
  'use strict';
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var csrf = null;
  var me = null;
  var status = 'waiting';
  var current = null; // { id, detail }
  var events = null;
  var advisers = [];
  // Messages that arrived live for the open case: a re-render from a request that started
  // before they were stored must not lose them.
  var live = { caseId: null, messages: [] };

  var CHANNEL = { web: 'Web', line: 'LINE', teams: 'Teams' };
  var STATUS = { waiting: '待機中', active: '対応中', closed: '終了', returned: 'ボットに戻した' };
  var OUTCOME = { resolved: '解決', advised: '助言済', referred: '外部へ紹介', unable: '対応不可', withdrawn: '利用者が取り消し' };
  var REASON = { user: '利用者の希望', unsolved: '「解決しない」', 'low-confidence': 'ボットが理解できない', urgent: '緊急', 'low-score': '自社診断の点数が低い', adviser: '相談員から' };

  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (res.status === 401 && path !== '/api/console/login') { showLogin(); }
        if (!res.ok) { var e = new Error((json.error && json.error.message) || ('エラー ' + res.status)); e.status = res.status; throw e; }
        return json;
      });
    });
  }

  function el(tag, props, children) {
    var e = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === 'text') e.textContent = props[k];
      else if (k === 'class') e.className = props[k];
      else e.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  function ago(seconds) {
    if (seconds < 60) return seconds + '秒';
    if (seconds < 3600) return Math.floor(seconds / 60) + '分';
    return Math.floor(seconds / 3600) + '時間' + Math.floor((seconds % 3600) / 60) + '分';
  }
  function time(iso) { return iso ? new Date(iso).toLocaleString('ja-JP', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : ''; }

  // --- login -----------------------------------------------------------------------------
  function showLogin() {
    if (events) { events.close(); events = null; }
    $('#app-view').hidden = true;
    $('#login-view').hidden = false;
    $('#email').focus();
  }
  function showApp(data) {
    csrf = data.csrfToken;
    me = data.adviser;
    $('#login-view').hidden = true;
    $('#app-view').hidden = false;
    $('#me').textContent = me.name + '（' + (me.role === 'admin' ? '管理者' : '相談員') + '）';
    api('GET', '/api/console/advisers').then(function (r) { advisers = r.advisers; });
    loadStatus();
    listen();
    loadList();
  }
  $('#login-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    $('#login-error').textContent = '';
    api('POST', '/api/console/login', { email: $('#email').value, password: $('#password').value })
      .then(function (data) { $('#password').value = ''; showApp(data); })
      .catch(function (e) { $('#login-error').textContent = e.message; });
  });
  $('#logout').addEventListener('click', function () {
    api('POST', '/api/console/logout', {}).finally(function () { csrf = null; current = null; showLogin(); });
  });

  // --- LINE: the month's push quota, and events the desk could not process ------------------
  var lineQuota = null;
  function quotaText(q) {
    if (!q) return '';
    if (q.state === 'exhausted') {
      return 'LINE の今月のメッセージ送信数が上限に達しています' + (q.limit ? '（' + q.used + '／' + q.limit + ' 通）' : '') +
        '。相談員からのメッセージは、利用者が次に LINE でメッセージを送ったときに届きます。';
    }
    if (q.state === 'low') return 'LINE の今月の残りメッセージ数が少なくなっています: 残り ' + q.remaining + ' 通（上限 ' + q.limit + ' 通）。';
    return '';
  }
  function loadStatus() {
    return api('GET', '/api/console/status').then(function (r) {
      lineQuota = r.line ? r.line.quota : null;
      var text = quotaText(lineQuota);
      $('#quota').hidden = !text;
      $('#quota').textContent = text;
      if (current) renderReplyWarning($('#case-view'), current.detail.case);
      if (r.line && r.line.parked) loadParked(); else $('#parked').hidden = true;
    }).catch(function () {});
  }
  function loadParked() {
    api('GET', '/api/console/line/parked').then(function (r) {
      var ul = $('#parked-list');
      ul.textContent = '';
      $('#parked').hidden = !r.events.length;
      r.events.forEach(function (p) {
        var retry = el('button', { type: 'button', text: 'もう一度処理する' });
        var dismiss = el('button', { type: 'button', class: 'plain', text: '対応済みにする' });
        retry.addEventListener('click', function () { api('POST', '/api/console/line/parked/' + encodeURIComponent(p.id) + '/retry', {}).then(loadStatus).catch(function (e) { alert(e.message); }); });
        dismiss.addEventListener('click', function () {
          if (confirm('このメッセージを一覧から消しますか？（利用者には別の方法で対応してください）')) api('POST', '/api/console/line/parked/' + encodeURIComponent(p.id) + '/dismiss', {}).then(loadStatus).catch(function (e) { alert(e.message); });
        });
        ul.appendChild(el('li', {}, [
          el('span', { class: 'text', text: p.text }),
          el('span', { class: 'meta', text: '受信 ' + time(p.receivedAt) + ' ・ ' + p.attempts + '回試して失敗' }),
          retry, dismiss,
        ]));
      });
    });
  }
  /** Before an adviser writes to a LINE user: say when the message will wait for the user's next message. */
  function renderReplyWarning(view, c) {
    var w = view && $('.reply-warning', view);
    if (!w) return;
    var q = c.channel === 'line' ? lineQuota : null;
    var text = q && q.state === 'exhausted'
      ? 'LINE の今月の送信上限に達しています。ここで送ったメッセージは、利用者が次にメッセージを送ったときに届きます。'
      : q && q.state === 'low' ? 'LINE の今月の残りメッセージ数: ' + q.remaining + ' 通。1 回の送信で 1 通使います。' : '';
    var mine = c.status === 'active' && (c.adviserId === me.id || me.role === 'admin');
    w.textContent = text;
    w.hidden = !text || !mine;
  }
  setInterval(function () { if (!$('#app-view').hidden) loadStatus(); }, 60000);

  // --- live updates ---------------------------------------------------------------------------
  function listen() {
    if (events) events.close();
    events = new EventSource('/api/console/events');
    events.addEventListener('case', function (ev) {
      var c = JSON.parse(ev.data).case;
      loadList();
      loadCounts();
      if (current && current.id === c.id) openCase(c.id, true);
    });
    events.addEventListener('messages', function (ev) {
      var data = JSON.parse(ev.data);
      if (current && current.id === data.caseId) {
        if (live.caseId !== data.caseId) live = { caseId: data.caseId, messages: [] };
        data.messages.forEach(function (m) { live.messages.push(m); appendMessage(m); });
        live.messages = live.messages.slice(-200);
      }
    });
  }

  // --- the queue ------------------------------------------------------------------------------
  document.querySelectorAll('.tabs button').forEach(function (b) {
    b.addEventListener('click', function () {
      status = b.getAttribute('data-status');
      document.querySelectorAll('.tabs button').forEach(function (x) { x.setAttribute('aria-selected', String(x === b)); });
      loadList();
    });
  });
  function loadCounts() {
    ['waiting', 'active'].forEach(function (s) {
      api('GET', '/api/console/cases?status=' + s).then(function (r) { $('[data-count="' + s + '"]').textContent = r.cases.length || ''; });
    });
  }
  var OWNER = { bot: 'ボットが対応', waiting: '担当者待ち', adviser: '相談員が対応', closed: '終了' };
  function loadRecent() {
    return api('GET', '/api/console/conversations').then(function (r) {
      var list = $('#case-list');
      list.textContent = '';
      if (!r.conversations.length) list.appendChild(el('li', { class: 'none', text: 'まだ会話はありません。' }));
      r.conversations.forEach(function (c) {
        var join = el('button', { type: 'button', text: c.caseId ? '相談を開く' : 'この会話に入る' });
        join.addEventListener('click', function () {
          var go = c.caseId ? Promise.resolve({ case: { id: c.caseId } }) : api('POST', '/api/console/conversations/' + encodeURIComponent(c.id) + '/pickup', {});
          go.then(function (res) { openCase(res.case.id); }).catch(function (e) { alert(e.message); });
        });
        list.appendChild(el('li', { class: 'recent' }, [
          el('div', { class: 'line1' }, [el('span', { class: 'badge ' + c.channel, text: CHANNEL[c.channel] || c.channel }), el('span', { text: c.topic || '（話題なし）' })]),
          el('div', { class: 'line2', text: [OWNER[c.owner] || c.owner, time(c.updatedAt), c.lastUserText || ''].filter(Boolean).join(' ・ ') }),
          join,
        ]));
      });
    });
  }

  function loadList() {
    loadCounts();
    if (status === 'recent') return loadRecent();
    return api('GET', '/api/console/cases?status=' + status).then(function (r) {
      var list = $('#case-list');
      list.textContent = '';
      if (!r.cases.length) list.appendChild(el('li', { class: 'none', text: status === 'waiting' ? '待っている相談はありません。' : 'ありません。' }));
      r.cases.forEach(function (c) {
        var s = c.summary || {};
        var b = el('button', { type: 'button', 'data-case': c.id }, [
          el('span', { class: 'line1' }, [
            c.position ? el('span', { text: c.position + '.' }) : null,
            c.priority === 'urgent' ? el('span', { class: 'badge urgent', text: '至急' }) : null,
            el('span', { class: 'badge ' + c.channel, text: CHANNEL[c.channel] || c.channel }),
            el('span', { text: (c.intake && c.intake.company) || s.topicTitle || '相談' }),
          ]),
          el('span', { class: 'line2', text: [
            c.status === 'waiting' ? '待ち ' + ago(c.waitingSeconds || 0) : c.status === 'active' ? '担当: ' + (c.adviserName || '') : (OUTCOME[c.outcome] || STATUS[c.status]),
            s.topicTitle || '',
            (s.userSaid && s.userSaid[s.userSaid.length - 1]) || '',
          ].filter(Boolean).join(' ・ ') }),
        ]);
        if (current && current.id === c.id) b.setAttribute('aria-current', 'true');
        b.addEventListener('click', function () { openCase(c.id); });
        list.appendChild(el('li', {}, [b]));
      });
    });
  }

  // --- one case ------------------------------------------------------------------------------
  function openCase(id, keepScroll) {
    return api('GET', '/api/console/cases/' + encodeURIComponent(id)).then(function (d) {
      current = { id: id, detail: d };
      document.querySelectorAll('#case-list button').forEach(function (b) { b.setAttribute('aria-current', String(b.getAttribute('data-case') === id)); });
      renderCase(d, keepScroll);
    });
  }

  function renderCase(d, keepScroll) {
    var c = d.case;
    var view = $('#case-view');
    var oldScroll = keepScroll && $('.transcript', view) ? $('.transcript', view).scrollTop : null;
    var draft = $('#reply-text') ? $('#reply-text').value : '';
    view.textContent = '';
    view.appendChild($('#case-template').content.cloneNode(true));
    var mine = c.status === 'active' && (c.adviserId === me.id || me.role === 'admin');
    $('.case-title', view).textContent = ((c.intake && c.intake.company) || '会社名なし') + ' — ' + ((c.summary && c.summary.topicTitle) || '相談');
    $('.case-meta', view).textContent = [
      STATUS[c.status] + (c.outcome ? '（' + OUTCOME[c.outcome] + '）' : ''),
      CHANNEL[c.channel] || c.channel,
      c.priority === 'urgent' ? '至急' : '',
      d.userName ? 'LINE の表示名: ' + d.userName : '',
      'きっかけ: ' + (REASON[c.reason] || c.reason),
      '受付 ' + time(c.createdAt),
      c.position ? '待ち順 ' + c.position + '番目' : '',
      c.adviserName ? '担当 ' + c.adviserName : '',
      c.duringHours ? '' : '受付時間外の依頼',
      c.satisfaction ? '満足度 ' + c.satisfaction + '/5' : '',
    ].filter(Boolean).join(' ・ ');
    $('[data-action="claim"]', view).hidden = c.status !== 'waiting';
    view.querySelectorAll('[data-when="mine"]').forEach(function (e) { e.hidden = !mine; });
    // A waiting case can be closed without claiming it (a duplicate, referred elsewhere).
    if (c.status === 'waiting') {
      var g = $('.group', view); g.hidden = false;
      $('[data-action="transfer"]', g).hidden = true; $('.transfer-to', g).parentNode.hidden = true; $('[data-action="return"]', g).hidden = true;
    }
    var select = $('.transfer-to', view);
    advisers.filter(function (a) { return a.id !== c.adviserId; }).forEach(function (a) { select.appendChild(el('option', { value: a.id, text: a.name })); });

    // Summary
    var dl = $('.summary dl', view);
    var s = c.summary || {};
    var rows = [
      ['話題', s.topicTitle || '（なし）'],
      ['緊急', s.urgent || c.priority === 'urgent' ? 'はい' : 'いいえ'],
      ['利用者の言葉', (s.userSaid || []).join('\n') || '（なし）'],
      ['回答した話題', (s.topics || []).map(function (t) { return t.title + (t.helpful === false ? '（解決しない）' : t.helpful ? '（解決した）' : ''); }).join('\n') || '（なし）'],
      ['会社名', (c.intake && c.intake.company) || '（未回答）'],
      ['都道府県', (c.intake && c.intake.prefecture) || '（未回答）'],
      ['連絡先', (c.intake && c.intake.contact) || '（未回答）'],
    ];
    rows.forEach(function (r) { dl.appendChild(el('dt', { text: r[0] })); dl.appendChild(el('dd', { text: r[1] })); });
    if (s.diagnosis) {
      dl.appendChild(el('dt', { text: '自社診断' }));
      dl.appendChild(el('dd', {}, [s.diagnosis.total + '点／' + s.diagnosis.max + '点（' + s.diagnosis.band + '） ', el('a', { href: s.diagnosis.reportUrl, target: '_blank', rel: 'noopener', text: 'レポート' })]));
    }

    renderIncident(view, d.incident);

    // Transcript
    var delivery = { undelivered: {}, held: {}, canResend: mine, caseId: c.id };
    (d.undelivered || []).forEach(function (u) { delivery.undelivered[u.seq] = u.reason; });
    (d.held || []).forEach(function (seq) { delivery.held[seq] = true; });
    d.transcript.forEach(function (m) { appendMessage(m, delivery); });
    if (live.caseId === c.id) live.messages.forEach(function (m) { appendMessage(m, delivery); });
    else live = { caseId: c.id, messages: [] };
    var tr = $('.transcript', view);
    tr.scrollTop = oldScroll !== null ? oldScroll : tr.scrollHeight;

    // Notes
    var notes = $('.note-list', view);
    (c.notes || []).forEach(function (n) { notes.appendChild(el('li', {}, [el('span', { class: 'at', text: n.adviserName + ' ・ ' + time(n.at) }), n.text])); });

    wireCase(view, c);
    renderReplyWarning(view, c);
    if (mine) { $('#reply-text').value = draft; }
  }

  // --- the triaged incident and its referrals ------------------------------------------------
  var SEVERITY = { high: '高', medium: '中', low: '低' };
  var REFERRAL_STATUS = { suggested: '提案', contacted: '連絡済み', closed: '完了' };
  function jpDay(day) { var p = day.split('-'); return Number(p[0]) + '年' + Number(p[1]) + '月' + Number(p[2]) + '日'; }
  function renderIncident(view, incident) {
    var box = $('.incident', view);
    box.hidden = !incident;
    if (!incident) return;
    var sev = $('.incident-severity', box);
    sev.textContent = '';
    sev.appendChild(el('span', { class: 'sev ' + incident.severity, text: '重大度 ' + SEVERITY[incident.severity] }));
    sev.appendChild(document.createTextNode(' ' + incident.topicTitle + ' — ' + incident.severityReason));
    var facts = $('.incident-facts', box);
    (incident.facts || []).forEach(function (f) { facts.appendChild(el('li', { text: f })); });
    var summary = (current && current.detail.case.summary && current.detail.case.summary.incident) || null;
    if (summary && summary.sheetUrl) $('.incident-sheet', box).appendChild(el('a', { href: summary.sheetUrl, target: '_blank', rel: 'noopener', text: 'インシデント連絡シートを開く' }));
    var list = $('.referrals', box);
    incident.referrals.forEach(function (r) {
      var select = el('select', { 'aria-label': r.title + 'の状況' });
      Object.keys(REFERRAL_STATUS).forEach(function (k) {
        var o = el('option', { value: k, text: REFERRAL_STATUS[k] });
        if (k === r.status) o.selected = true;
        select.appendChild(o);
      });
      select.addEventListener('change', function () {
        api('POST', '/api/console/incidents/' + encodeURIComponent(incident.id) + '/referrals/' + encodeURIComponent(r.id), { status: select.value })
          .catch(function (e) { alert(e.message); select.value = r.status; });
      });
      var li = el('li', { 'data-referral': r.id }, [el('strong', { text: r.title }), select, el('div', { text: r.why }), el('div', { text: r.contact.join(' / ') })]);
      (r.deadlines || []).forEach(function (dl) { li.appendChild(el('span', { class: 'deadline', text: dl.label + ': ' + jpDay(dl.date) + (dl.to ? '〜' + jpDay(dl.to) : '') + 'まで' })); });
      if (r.updatedBy) li.appendChild(el('div', { class: 'at', text: REFERRAL_STATUS[r.status] + '（' + r.updatedBy + ' ' + time(r.updatedAt) + '）' }));
      list.appendChild(li);
    });
  }

  // --- attachments: a thumbnail that opens the file, and the text the machine read on it ---
  function attachmentView(a) {
    var url = '/api/console/attachments/' + encodeURIComponent(a.id);
    var box = el('div', { class: 'attachment' });
    if (a.mime === 'application/pdf') {
      box.appendChild(el('a', { href: url, download: a.name || 'attachment.pdf', text: 'PDF を保存: ' + (a.name || 'attachment.pdf') }));
    } else {
      var link = el('a', { href: url, target: '_blank', rel: 'noopener', title: '画像を大きく表示', 'aria-label': '画像を大きく表示' });
      link.appendChild(el('img', { src: url + '?thumb=1', alt: a.name ? '画像 ' + a.name : '利用者が送った画像', loading: 'lazy' }));
      box.appendChild(link);
    }
    if (a.read) {
      var read = el('div', { class: 'read' });
      read.appendChild(el('span', { class: 'read-label', text: a.read.failed ? '（機械では文字を読み取れませんでした）' : '機械が読み取った文字（誤りがあることがあります）:' }));
      if (!a.read.failed) read.appendChild(el('pre', { text: a.read.text }));
      box.appendChild(read);
    }
    return box;
  }

  // Why a LINE message did not surely reach the user (see docs/console-api.md).
  var NOT_DELIVERED = {
    unknown: '利用者に届いていない可能性があります（LINE からの応答がありませんでした）',
    failed: '利用者に届いていません（LINE が受け付けませんでした）',
    blocked: '利用者がブロックしているため届いていません',
  };
  function appendMessage(m, delivery) {
    var tr = $('#case-view .transcript');
    if (!tr || tr.querySelector('[data-seq="' + m.seq + '"]')) return;
    var who = m.from === 'user' ? '利用者' : m.from === 'bot' ? 'ボット' : m.from === 'adviser' ? '相談員 ' + (m.author || '') : '';
    var li = el('li', { class: 'from-' + m.from, 'data-seq': String(m.seq) }, [who ? el('span', { class: 'who', text: who + ' ・ ' + time(m.at) }) : null, m.text]);
    (m.attachments || []).forEach(function (a) { li.appendChild(attachmentView(a)); });
    var reason = delivery && delivery.undelivered[m.seq];
    if (reason) {
      li.classList.add('undelivered');
      var note = el('span', { class: 'delivery', text: '※ ' + (NOT_DELIVERED[reason] || '利用者に届いていません') });
      if (reason !== 'blocked' && delivery.canResend) {
        var resend = el('button', { type: 'button', text: '再送する' });
        resend.addEventListener('click', function () {
          api('POST', '/api/console/cases/' + encodeURIComponent(delivery.caseId) + '/resend', { seqs: [m.seq] })
            .then(function () { openCase(delivery.caseId, true); })
            .catch(function (e) { alert(e.message); });
        });
        note.appendChild(resend);
      }
      li.appendChild(note);
    } else if (delivery && delivery.held[m.seq]) {
      li.classList.add('held');
      li.appendChild(el('span', { class: 'delivery', text: '※ 送信待ち: 利用者が次にメッセージを送ったときに届きます（LINE の今月の上限）' }));
    }
    var atBottom = tr.scrollHeight - tr.scrollTop - tr.clientHeight < 40;
    tr.appendChild(li);
    if (atBottom) tr.scrollTop = tr.scrollHeight;
  }

  function act(view, promise) {
    $('.action-error', view).textContent = '';
    return promise.catch(function (e) { $('.action-error', view).textContent = e.message; throw e; });
  }

  function wireCase(view, c) {
    var base = '/api/console/cases/' + encodeURIComponent(c.id);
    $('[data-action="claim"]', view).addEventListener('click', function () { act(view, api('POST', base + '/claim', {})).then(function () { status = 'active'; selectTab('active'); openCase(c.id); }); });
    $('[data-action="return"]', view).addEventListener('click', function () {
      if (confirm('この会話をボットに戻しますか？')) act(view, api('POST', base + '/return', {})).then(function () { openCase(c.id); });
    });
    $('[data-action="close"]', view).addEventListener('click', function () {
      var outcome = $('.outcome', view).value;
      if (confirm('「' + OUTCOME[outcome] + '」として終了しますか？')) act(view, api('POST', base + '/close', { outcome: outcome })).then(function () { openCase(c.id); });
    });
    $('[data-action="transfer"]', view).addEventListener('click', function () {
      var to = $('.transfer-to', view).value;
      if (to) act(view, api('POST', base + '/transfer', { adviserId: to })).then(function () { openCase(c.id); });
    });
    var reply = $('.reply', view);
    var text = $('#reply-text');
    reply.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (!text.value.trim()) return;
      var body = text.value;
      if (c.channel === 'line' && lineQuota && lineQuota.state === 'exhausted' &&
          !confirm('LINE の今月の送信上限に達しています。このメッセージは、利用者が次にメッセージを送ったときに届きます。送信しますか？')) return;
      act(view, api('POST', base + '/messages', { text: body })).then(function () { text.value = ''; openCase(c.id, true); });
    });
    text.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey) && !ev.isComposing) { ev.preventDefault(); reply.requestSubmit(); }
    });
    $('.kb-search', view).addEventListener('submit', function (ev) {
      ev.preventDefault();
      var q = $('.kb-search input', view).value;
      api('GET', '/api/console/knowledge?q=' + encodeURIComponent(q)).then(function (r) {
        var ul = $('.kb-results', view);
        ul.textContent = '';
        if (!r.entries.length) ul.appendChild(el('li', { text: '見つかりませんでした。' }));
        r.entries.forEach(function (e) {
          var insert = el('button', { type: 'button', text: '挿入' });
          insert.addEventListener('click', function () { text.value = (text.value ? text.value + '\n\n' : '') + e.text; text.focus(); });
          ul.appendChild(el('li', {}, [el('strong', { text: e.title }), ' ', insert, el('div', { text: e.summary })]));
        });
      });
    });
    $('.note-form', view).addEventListener('submit', function (ev) {
      ev.preventDefault();
      var t = $('.note-form textarea', view);
      if (!t.value.trim()) return;
      act(view, api('POST', base + '/notes', { text: t.value })).then(function () { openCase(c.id, true); });
    });
  }

  function selectTab(s) {
    document.querySelectorAll('.tabs button').forEach(function (x) { x.setAttribute('aria-selected', String(x.getAttribute('data-status') === s)); });
    loadList();
  }

  // Waiting times tick without a request.
  setInterval(function () { if (status === 'waiting' && !$('#app-view').hidden) loadList(); }, 30000);

  api('GET', '/api/console/me').then(showApp).catch(showLogin);
})();
