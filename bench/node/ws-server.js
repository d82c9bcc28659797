'use strict';
// The Node `ws` reference: a broadcaster that frames each event once as a string and sends it to every
// subscriber of its topic (ws frames it per socket). Subscribers connect to /ws?topic=T (default `bench`).

const { WebSocketServer } = require('ws');
const { parseArgs, createServer, listen, payloads } = require('./common');

const options = parseArgs(process.argv.slice(2));
const topics = new Map();
const everyone = new Set();

function send(topic, text) {
  const subscribers = topics.get(topic);
  if (subscribers) {
    for (const socket of subscribers) {
      socket.send(text);
    }
  }
}

const server = createServer((topic, body) => {
  const many = payloads(body);
  if (many) {
    for (const payload of many) {
      send(topic, '{"type":"event","data":' + JSON.stringify(payload) + '}');
    }
  } else {
    send(topic, '{"type":"event","data":' + body.toString('utf8') + '}');
  }
});

const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, clientTracking: false });
wss.on('connection', (socket, request) => {
  const topic = new URL(request.url, 'http://localhost').searchParams.get('topic') || 'bench';
  let subscribers = topics.get(topic);
  if (!subscribers) {
    subscribers = new Set();
    topics.set(topic, subscribers);
  }
  subscribers.add(socket);
  everyone.add(socket);
  socket.on('close', () => {
    subscribers.delete(socket);
    everyone.delete(socket);
  });
  socket.on('error', () => socket.terminate());
  socket.send('{"type":"welcome"}');
});

// The same application heartbeat as the raw Kestrel reference: a ping frame to everyone.
setInterval(() => {
  for (const socket of everyone) {
    socket.send('{"type":"ping"}');
  }
}, options.heartbeat * 1000);

listen(server, options.port);
