import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{b as a,c as b,d as c,e as d,f as e}from"./chunk-RDQONZEB.js";import"./chunk-ZJTMOHE7.js";import"./chunk-OZJ4OJ24.js";export{d as GitHub,b as context,c as defaults,e as getOctokitOptions,a as getUserAgentWithOrchestrationId};
