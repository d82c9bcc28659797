'use strict';
// The Socket.IO 4 reference: subscribers join the room of their topic (?topic=T, default `bench`) over the
// WebSocket transport only; io.to(topic).emit encodes each event once for the whole room.

const { Server } = require('socket.io');
const { parseArgs, createServer, listen, payloads } = require('./common');

const options = parseArgs(process.argv.slice(2));

const server = createServer((topic, body) => {
  const many = payloads(body);
  for (const payload of many || [JSON.parse(body.toString('utf8'))]) {
    io.to(topic).emit('event', payload);
  }
});

const io = new Server(server, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  pingInterval: options.heartbeat * 1000,
  // Herald's client timeout, so no reference closes a busy client sooner than Herald would.
  pingTimeout: 120000,
});

io.on('connection', (socket) => {
  socket.join(socket.handshake.query.topic || 'bench');
  socket.emit('welcome');
});

listen(server, options.port);
