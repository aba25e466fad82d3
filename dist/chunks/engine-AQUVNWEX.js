import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-GF4UKGOF.js";import"./chunk-DWRXNS4P.js";import"./chunk-EMMJMWW4.js";import"./chunk-3IN4HJ2X.js";import"./chunk-5GR3HU4U.js";import"./chunk-YTMLE5S4.js";import"./chunk-OZJ4OJ24.js";export{a as runCheck,b as runPreflight};
