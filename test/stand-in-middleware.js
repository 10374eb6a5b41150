// Mounts the built reference proxy, with the built stand-in of meetergo's API as its upstream,
// at a path of the test dev server: the element's requests make a real HTTP round trip through
// the same code customers deploy. `npm test` builds dist/ before the browser tests run.
const dist = new URL('../dist/', import.meta.url);

/** Koa middleware serving `{path}/v4/user/{userId}/bookable-windows` through proxy → stand-in. */
export function standInMiddleware(path) {
  let ready;
  const load = async () => {
    const [{ createMeetergoProxy }, { toNodeHandler }, { createStandIn }] = await Promise.all([
      import(new URL('proxy/index.js', dist).href),
      import(new URL('proxy/node.js', dist).href),
      import(new URL('stand-in/index.js', dist).href),
    ]);
    const standIn = createStandIn();
    const handle = createMeetergoProxy({
      apiKey: 'stand-in-key',
      upstreamUrl: standIn.baseUrl,
      basePath: path,
      fetch: standIn.fetch,
      rateLimitPerMinute: 0,
      logger: () => {},
    });
    return toNodeHandler(handle);
  };
  return async (context, next) => {
    if (context.path !== path && !context.path.startsWith(`${path}/`)) return next();
    ready ??= load();
    const listener = await ready;
    context.respond = false;
    await new Promise((resolve) => {
      context.res.once('close', resolve);
      listener(context.req, context.res);
    });
  };
}
