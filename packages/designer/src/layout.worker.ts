// ELK's layered layout off the main thread: the page stays responsive (and
// shows progress) while a large flow is laid out. elk-worker answers the
// messages elk-api sends once it finds itself in a worker (no document).
import 'elkjs/lib/elk-worker.js';
