import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
function e(t){let n=(...r)=>t.some(i=>r.includes(i.status));return n("fail","unknown")?"fail":n("warn")?"warn":"pass"}function a(t,n){return n==="never"?!1:n==="warning"?t!=="pass":t==="fail"}export{e as a,a as b};
