import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a}from"./chunk-D3T2YII5.js";import"./chunk-5PCSH6GC.js";import"./chunk-PE4OPET3.js";import"./chunk-Y25PP5HS.js";import"./chunk-OZJ4OJ24.js";export{a as loadManifests};
