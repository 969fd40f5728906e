"""The HTTP machinery under the request pipeline: what httpx's own transports lack, only.

- `_clients`: `DefaultHttpxClient`/`DefaultAsyncHttpxClient` (proxies from the
  environment, never for loopback; our transports mounted);
- `_transport`: httpx's transport classes over httpcore pools, with the
  whole-attempt deadline and the framing check on every connection;
- `_async_pool`, `_pool_slices`: an async pool that never loses a slot to a
  cancellation, sliced so 1,000 calls at once do not stall httpcore's pool;
- `_deadline`: the whole-attempt deadline (headers included), per call;
- `_framing`: bytes past a complete response retire the connection;
- `_body`: a body read within its size limit, decoded within it;
- `_aiohttp`: the opt-in aiohttp transport (`AioHttpClient`);
- `_event_loop`: a pool bound to the event loop it runs in.

The pipeline (`retab_runs._base_client`) imports from here; nothing here
imports the pipeline.
"""
