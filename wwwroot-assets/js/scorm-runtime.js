// The SCORM 1.2 run-time API a course's SCO finds in its parent window (window.API), for the course player on
// "My compliance". It answers the SCO's calls at once from the values the portal gave at launch, checks what the SCO
// sets against the SCORM 1.2 data model (the error codes SCOs expect), and sends what changed to the portal on
// LMSCommit and LMSFinish (the server checks it again and keeps it). Its only network call is that commit, to the
// portal itself.
(function () {
  "use strict";

  const errors = {
    "0": "No error", "101": "General exception", "201": "Invalid argument error", "202": "Element cannot have children",
    "203": "Element not an array - cannot have count", "301": "Not initialized", "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword", "403": "Element is read only", "404": "Element is write only",
    "405": "Incorrect data type"
  };

  const children = {
    "cmi.core._children": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score._children": "raw,min,max",
    "cmi.student_data._children": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference._children": "audio,language,speed,text",
    "cmi.objectives._children": "id,score,status",
    "cmi.interactions._children": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
  };

  const readOnly = new Set([
    "cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry", "cmi.core.total_time", "cmi.core.lesson_mode",
    "cmi.launch_data", "cmi.comments_from_lms", "cmi.student_data.mastery_score", "cmi.student_data.max_time_allowed",
    "cmi.student_data.time_limit_action", "cmi._version"
  ]);

  const writeOnly = new Set(["cmi.core.exit", "cmi.core.session_time"]);
  const writable = new Set([
    "cmi.core.lesson_status", "cmi.core.lesson_location", "cmi.core.exit", "cmi.core.session_time", "cmi.core.score.raw",
    "cmi.core.score.min", "cmi.core.score.max", "cmi.suspend_data", "cmi.comments", "cmi.student_preference.audio",
    "cmi.student_preference.language", "cmi.student_preference.speed", "cmi.student_preference.text"
  ]);
  const statuses = new Set(["passed", "completed", "failed", "incomplete", "browsed"]);
  const exits = new Set(["", "time-out", "suspend", "logout"]);
  const timespan = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  const objective = /^cmi\.objectives\.(\d+)\.(id|score\.(raw|min|max)|status)$/;
  const interaction = /^cmi\.interactions\.(\d+)\.(id|time|type|weighting|student_response|result|latency|objectives\.(\d+)\.id|correct_responses\.(\d+)\.pattern)$/;

  function isScore(value) {
    if (value === "") { return true; }
    if (!/^-?\d+(\.\d+)?$/.test(value)) { return false; }
    const n = Number(value);
    return n >= 0 && n <= 100;
  }

  function isInteger(value, min, max) {
    return /^-?\d+$/.test(value) && Number(value) >= min && Number(value) <= max;
  }

  // Whether a value has the element's type (405 when not).
  function typeOk(element, value) {
    switch (element) {
      case "cmi.core.lesson_status": return statuses.has(value);
      case "cmi.core.lesson_location": return value.length <= 255;
      case "cmi.core.exit": return exits.has(value);
      case "cmi.core.session_time": return timespan.test(value);
      case "cmi.core.score.raw": case "cmi.core.score.min": case "cmi.core.score.max": return isScore(value);
      case "cmi.suspend_data": return value.length <= 4096;
      case "cmi.comments": return value.length <= 4096;
      case "cmi.student_preference.audio": return isInteger(value, -1, 100);
      case "cmi.student_preference.speed": return isInteger(value, -100, 100);
      case "cmi.student_preference.text": return isInteger(value, -1, 1);
      case "cmi.student_preference.language": return value.length <= 255;
      default: return value.length <= 4096;
    }
  }

  function count(values, prefix) {
    let n = 0;
    while (Object.keys(values).some(function (k) { return k.startsWith(prefix + n + "."); })) { n++; }
    return n;
  }

  function Runtime(component, commitUrl, values) {
    this.component = component;
    this.commitUrl = commitUrl;
    this.values = Object.assign({ "cmi._version": "3.4" }, values);
    this.pending = {};
    this.state = "new"; // new, running, finished
    this.lastError = "0";
    this.queue = Promise.resolve();
  }

  Runtime.prototype.fail = function (code, result) { this.lastError = code; return result; };

  Runtime.prototype.LMSInitialize = function (arg) {
    if (arg !== "" && arg !== undefined) { return this.fail("201", "false"); }
    if (this.state !== "new") { return this.fail("101", "false"); }
    this.state = "running";
    return this.fail("0", "true");
  };

  Runtime.prototype.LMSFinish = function (arg) {
    if (arg !== "" && arg !== undefined) { return this.fail("201", "false"); }
    if (this.state !== "running") { return this.fail("301", "false"); }
    this.state = "finished";
    this.send(true);
    return this.fail("0", "true");
  };

  Runtime.prototype.LMSCommit = function (arg) {
    if (arg !== "" && arg !== undefined) { return this.fail("201", "false"); }
    if (this.state !== "running") { return this.fail("301", "false"); }
    this.send(false);
    return this.fail("0", "true");
  };

  Runtime.prototype.LMSGetValue = function (element) {
    element = String(element);
    if (this.state !== "running") { return this.fail("301", ""); }
    if (element.endsWith("._children")) {
      return Object.prototype.hasOwnProperty.call(children, element) ? this.fail("0", children[element]) : this.fail("202", "");
    }
    if (element === "cmi.objectives._count") { return this.fail("0", String(count(this.values, "cmi.objectives."))); }
    if (element === "cmi.interactions._count") { return this.fail("0", String(count(this.values, "cmi.interactions."))); }
    if (element.endsWith("._count")) { return this.fail("203", ""); }
    if (writeOnly.has(element) || interaction.test(element)) { return this.fail("404", ""); }
    if (Object.prototype.hasOwnProperty.call(this.values, element)) { return this.fail("0", this.values[element]); }
    if (objective.test(element) || element.startsWith("cmi.student_preference.")) { return this.fail("0", ""); }
    return this.fail(element.startsWith("cmi.") ? "401" : "201", "");
  };

  Runtime.prototype.LMSSetValue = function (element, value) {
    element = String(element);
    value = value === undefined || value === null ? "" : String(value);
    if (this.state !== "running") { return this.fail("301", "false"); }
    if (/\._(children|count|version)$/.test(element)) { return this.fail("402", "false"); }
    if (readOnly.has(element)) { return this.fail("403", "false"); }
    const known = writable.has(element);
    const o = objective.exec(element);
    const i = interaction.exec(element);
    if (!known && !o && !i) { return this.fail(element.startsWith("cmi.") ? "401" : "201", "false"); }
    if (o && Number(o[1]) > count(this.values, "cmi.objectives.")) { return this.fail("201", "false"); }
    if (i && Number(i[1]) > count(this.values, "cmi.interactions.")) { return this.fail("201", "false"); }
    if (!typeOk(element, value)) { return this.fail("405", "false"); }
    if (element === "cmi.comments") { value = (this.values["cmi.comments"] || "") + value; if (value.length > 4096) { return this.fail("405", "false"); } }
    this.values[element] = value;
    this.pending[element] = value;
    return this.fail("0", "true");
  };

  Runtime.prototype.LMSGetLastError = function () { return this.lastError; };
  Runtime.prototype.LMSGetErrorString = function (code) { return errors[String(code)] || ""; };
  Runtime.prototype.LMSGetDiagnostic = function (code) { return errors[String(code === "" || code === undefined ? this.lastError : code)] || ""; };

  // Sends what changed, one commit after another; what a failed commit carried is sent again with the next.
  Runtime.prototype.send = function (finish) {
    const self = this;
    const batch = this.pending;
    this.pending = {};
    this.queue = this.queue.then(function () {
      return fetch(self.commitUrl, {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ values: batch, finish: finish })
      }).then(function (response) {
        return response.json().catch(function () { return { error: "The portal answered " + response.status + "." }; });
      }).then(function (result) {
        if (result.error) { throw new Error(result.error); }
        self.notify("CommittedAsync", [result.lessonStatus, result.score === undefined ? null : result.score, result.completionId || null, finish]);
      }).catch(function (error) {
        self.pending = Object.assign(batch, self.pending);
        self.notify("CommitFailedAsync", [String(error && error.message ? error.message : error)]);
      });
    });
  };

  Runtime.prototype.notify = function (method, args) {
    if (!this.component) { return; }
    try { this.component.invokeMethodAsync.apply(this.component, [method].concat(args)).catch(function () { /* page gone */ }); } catch { /* page gone */ }
  };

  window.complianceHubScorm = {
    // Puts the API where the SCO looks for it, then opens the SCO in the frame.
    start: function (component, frameId, contentUrl, commitUrl, values) {
      const runtime = new Runtime(component, commitUrl, values);
      window.API = runtime;
      this.runtime = runtime;
      const frame = document.getElementById(frameId);
      if (frame) { frame.src = contentUrl; }
    },
    // The player is closing: a SCO still running is finished (what it set is kept), and the API goes.
    stop: function () {
      const runtime = this.runtime;
      if (runtime) {
        runtime.component = null;
        if (runtime.state === "running") { runtime.state = "finished"; runtime.send(true); }
      }
      this.runtime = null;
      if (window.API === runtime) { delete window.API; }
    }
  };
})();
