import type { NextConfig } from 'next';

// cacheComponents on, so the README's route handler is proven to build with it.
const config: NextConfig = { cacheComponents: true };
export default config;
