// The proxy mounted in an Express 5 app at /api/meetergo, for
// <meetergo-slots proxy-url="/api/meetergo">. In your app, import from 'meetergo-slots/proxy'
// and 'meetergo-slots/proxy/node'.
import express from 'express';
import { createMeetergoProxy } from '../src/proxy/index.js';
import { toNodeHandler } from '../src/proxy/node.js';

const app = express();

app.use(
  '/api/meetergo',
  toNodeHandler(
    createMeetergoProxy({
      apiKey: process.env.MEETERGO_API_KEY ?? '',
      basePath: '/api/meetergo', // Express passes the full path (req.originalUrl)
      allowedUserIds: ['550e8400-e29b-41d4-a716-446655440000'],
      trustProxy: 'x-forwarded-for', // only behind a load balancer that sets it
    }),
  ),
);

app.listen(3000);
