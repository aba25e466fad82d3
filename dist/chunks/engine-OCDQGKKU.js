import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-C6GWUIJ2.js";import"./chunk-DWRXNS4P.js";import"./chunk-YTLJF36E.js";import"./chunk-PE4OPET3.js";import"./chunk-5GR3HU4U.js";import"./chunk-YTMLE5S4.js";import"./chunk-OZJ4OJ24.js";export{a as runCheck,b as runPreflight};
