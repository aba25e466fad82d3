import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-PS4ICGKV.js";import"./chunk-5GR3HU4U.js";import"./chunk-YTMLE5S4.js";import"./chunk-QFOLFISN.js";import"./chunk-Y25PP5HS.js";import"./chunk-OZJ4OJ24.js";export{a as FEDERATION_AUDIENCE,b as ObservedCredential,c as createCredential};
