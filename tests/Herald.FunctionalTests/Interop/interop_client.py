"""An independent client for Herald's protocol: Python's websockets library, no Herald SDK.

Usage: interop_client.py WS_URL
Replays from since=0, reports READY, then expects one live event, a pong and an error frame,
and prints a one-line JSON summary.
"""
import asyncio
import json
import sys

import websockets


async def next_of(ws, kind):
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if frame["type"] == kind:
            return frame


async def main(url):
    summary = {"ids": []}
    async with websockets.connect(url + "/ws/events?topics=interop/%2B&since=0") as ws:
        summary["welcome"] = (await next_of(ws, "welcome"))["sessionId"] != ""
        summary["ids"].append((await next_of(ws, "event"))["data"]["id"])
        summary["complete"] = (await next_of(ws, "resumed"))["complete"]
        print("READY", flush=True)
        live = await next_of(ws, "event")
        summary["ids"].append(live["data"]["id"])
        summary["live_data"] = live["data"]["data"]
        await ws.send(json.dumps({"type": "ping", "ref": "p1"}))
        summary["pong"] = (await next_of(ws, "pong"))["ref"]
        await ws.send("garbage")
        summary["error"] = (await next_of(ws, "error"))["code"]
    print(json.dumps(summary), flush=True)


asyncio.run(main(sys.argv[1]))
