import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a as t,e as o,f as n}from"./chunk-RDQONZEB.js";import"./chunk-ZJTMOHE7.js";import"./chunk-OZJ4OJ24.js";var x=new t;function s(e,i,...r){let c=o.plugin(...r);return new c(n(e,i))}export{x as context,s as getOctokit};
