import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a as r,c as i}from"./chunk-OZJ4OJ24.js";var o=i((p,e)=>{e.exports=r("http")});export{o as a};
