// Build the search index when the reader goes to search, not on every page load.
//
// Both bundles (Material's and Zensical's) start their search worker as soon as a page
// loads and hand it the whole site's index to build: about a third of the CPU a page
// load costs here, spent again on every page, mostly by readers who never search. This
// script runs just before the bundle (main.html) and gives it a stand-in for that one
// worker: messages posted to it wait until the reader moves to the search box (focus,
// a press or a tap on it, or its keyboard shortcuts, which focus it), then the real
// worker starts and gets them in order. The worker's replies reach the bundle as they
// would from the worker itself, through on<event> handlers or listeners (the bundles use
// one each). Any other worker is created as usual.
(function () {
  var RealWorker = window.Worker;
  if (typeof RealWorker !== "function" || typeof EventTarget !== "function") {
    return;
  }
  var SEARCH_WORKER = /\/workers\/search\.[^/]*\.js(\?|#|$)/;
  var pending = [];
  var wanted = false;

  function want() {
    if (wanted) {
      return;
    }
    wanted = true;
    ["focusin", "pointerdown"].forEach(function (type) {
      document.removeEventListener(type, onReaderAction, true);
    });
    pending.splice(0).forEach(function (start) { start(); });
  }

  // On the search box or its button, or in a dialog (Zensical draws its search dialog in
  // a shadow root, so the event's own target is only the root's host: its path tells).
  function onReaderAction(event) {
    var path = event.composedPath ? event.composedPath() : [event.target];
    var onSearch = path.some(function (node) {
      return node instanceof Element &&
        node.matches(".md-search, label[for='__search'], dialog");
    });
    // Material's shortcuts that open search ("f", "s", "/") focus the box: focusin.
    if (onSearch) {
      want();
    }
  }

  ["focusin", "pointerdown"].forEach(function (type) {
    document.addEventListener(type, onReaderAction, true);
  });

  function LazySearchWorker(url, options) {
    var target = new EventTarget();
    var self = this;
    var queue = [];
    var real = null;
    var ended = false;
    this.onmessage = null;
    this.onerror = null;
    this.onmessageerror = null;
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this.dispatchEvent = target.dispatchEvent.bind(target);

    function relay(type) {
      real.addEventListener(type, function (event) {
        var copy = type === "error"
          ? new ErrorEvent("error", {
            message: event.message, filename: event.filename,
            lineno: event.lineno, colno: event.colno, cancelable: true,
          })
          : new MessageEvent(type, {data: event.data});
        if (typeof self["on" + type] === "function") {
          self["on" + type](copy);
        }
        target.dispatchEvent(copy);
        if (copy.defaultPrevented) {
          event.preventDefault();
        }
      });
    }

    function start() {
      if (real !== null || ended) {
        return;
      }
      real = new RealWorker(url, options);
      ["message", "error", "messageerror"].forEach(relay);
      queue.splice(0).forEach(function (args) { real.postMessage.apply(real, args); });
    }

    this.postMessage = function () {
      if (real !== null) {
        real.postMessage.apply(real, arguments);
      } else if (!ended) {
        queue.push(arguments);
      }
    };
    this.terminate = function () {
      ended = true;
      queue = [];
      if (real !== null) {
        real.terminate();
      }
    };
    if (wanted) {
      start();
    } else {
      pending.push(start);
    }
  }

  window.Worker = function Worker(url, options) {
    if (!(this instanceof Worker)) {
      throw new TypeError("Failed to construct 'Worker': Please use the 'new' operator");
    }
    return SEARCH_WORKER.test(String(url))
      ? new LazySearchWorker(url, options)
      : new RealWorker(url, options);
  };
  window.Worker.prototype = RealWorker.prototype;
})();
