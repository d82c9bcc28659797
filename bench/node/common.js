'use strict';
// What both Node references share with the .NET ones: the command line, POST /publish, GET /bench/stats,
// and stopping when the orchestrator closes stdin.

const http = require('http');

function parseArgs(argv) {
  const options = { port: 5100, heartbeat: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    options[name] = Number(argv[i + 1]);
  }
  return options;
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

// Serves POST /publish?topic=T (one JSON payload, or an array of them) and GET /bench/stats; publish(topic, body)
// does the broadcasting. Every other request goes to fallback (the WebSocket libraries handle their own paths).
function createServer(publish) {
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (request.method === 'POST' && url.pathname === '/publish') {
      const body = await readBody(request);
      publish(url.searchParams.get('topic') || 'bench', body);
      response.writeHead(204);
      response.end();
      return;
    }
    if (request.method === 'GET' && url.pathname === '/bench/stats') {
      // Started with --expose-gc: collect=true reports live heap objects only, as the .NET servers do.
      if (url.searchParams.get('collect') === 'true' && global.gc) {
        global.gc();
      }
      const memory = process.memoryUsage();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ managedHeap: memory.heapUsed + memory.external }));
      return;
    }
    if (!response.headersSent && !request.url.startsWith('/socket.io')) {
      response.writeHead(404);
      response.end();
    }
  });
  // Publishers keep their connections between steps.
  server.keepAliveTimeout = 120000;
  server.headersTimeout = 121000;
  return server;
}

function listen(server, port) {
  server.listen(port, '127.0.0.1', 4096, () => {
    process.stdout.write(`listening http://127.0.0.1:${port}\n`);
  });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

// A publish body is one payload or an array of them; each becomes one event.
function payloads(body) {
  if (body.length > 0 && body[0] === 0x5b) {
    return JSON.parse(body.toString('utf8'));
  }
  return null;
}

module.exports = { parseArgs, createServer, listen, payloads };
