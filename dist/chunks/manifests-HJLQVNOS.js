import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a}from"./chunk-ZKYDDSAG.js";import"./chunk-VMLPCGYF.js";import"./chunk-3IN4HJ2X.js";import"./chunk-Y25PP5HS.js";import"./chunk-OZJ4OJ24.js";export{a as loadManifests};
