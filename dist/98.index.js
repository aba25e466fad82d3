export const id = 98;
export const ids = [98];
export const modules = {

/***/ 8098:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createCredential: () => (/* binding */ createCredential)
/* harmony export */ });
/* unused harmony exports FEDERATION_AUDIENCE, ObservedCredential */
/* harmony import */ var _azure_identity__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3952);
/* harmony import */ var _clouds_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(157);
// Sign-in: one TokenCredential for the whole run, built from the `auth` mode.
// Every token it hands out goes through `onToken` first (the action masks it there), and concurrent
// requests for the same scope share one sign-in.


/** The audience GitHub's ID token must carry for Entra workload identity federation. */
const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
/** Sign-in options shared by the Entra-based credentials. */
function entraOptions(config) {
    const known = Object.values(_clouds_js__WEBPACK_IMPORTED_MODULE_1__/* .CLOUDS */ .J).some((c) => c.authorityHost === config.authorityHost);
    // Instance discovery asks the public cloud about an authority: pointless (and a call outside the
    // configured hosts) for any authority we were explicitly pointed at.
    return { authorityHost: config.authorityHost, disableInstanceDiscovery: !known };
}
function baseCredential(config, env, hooks) {
    switch (config.auth) {
        case 'oidc': {
            const getIdToken = hooks.getIdToken;
            if (!getIdToken)
                throw new Error("auth 'oidc' needs the runner's ID token, which this adapter cannot request");
            return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .ClientAssertionCredential */ .XI(config.tenantId, config.clientId, async () => {
                const token = await getIdToken(FEDERATION_AUDIENCE);
                hooks.onToken?.(token);
                return token;
            }, entraOptions(config));
        }
        case 'azure-cli':
            return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .AzureCliCredential */ .nG(config.tenantId ? { tenantId: config.tenantId } : {});
        case 'environment':
            if (env.AZURE_FEDERATED_TOKEN_FILE && !env.AZURE_CLIENT_SECRET && !env.AZURE_CLIENT_CERTIFICATE_PATH) {
                return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .WorkloadIdentityCredential */ .R9(entraOptions(config));
            }
            return new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .EnvironmentCredential */ .lp(entraOptions(config));
        case 'managed-identity':
            return config.clientId ? new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .ManagedIdentityCredential */ .NC({ clientId: config.clientId }) : new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .ManagedIdentityCredential */ .NC();
    }
}
/** Renew a cached token this long before it expires. */
const RENEW_MARGIN_MS = 5 * 60_000;
class ObservedCredential {
    inner;
    onToken;
    pending = new Map();
    cached = new Map();
    constructor(inner, onToken = () => { }) {
        this.inner = inner;
        this.onToken = onToken;
    }
    /** Every token passes through onToken (masking) before anyone else sees it. */
    async observe(token) {
        const t = await token;
        if (t)
            this.onToken(t.token);
        return t;
    }
    async getToken(scopes, options) {
        // A claims challenge (continuous access evaluation) needs a fresh token, never a cached one.
        if (options?.claims)
            return this.observe(this.inner.getToken(scopes, options));
        const key = [scopes].flat().join(' ');
        const hit = this.cached.get(key);
        if (hit && hit.expiresOnTimestamp - RENEW_MARGIN_MS > Date.now())
            return hit;
        let pending = this.pending.get(key);
        if (!pending) {
            pending = this.observe(this.inner.getToken(scopes, options)).then((token) => {
                if (token)
                    this.cached.set(key, token);
                return token;
            });
            pending.finally(() => this.pending.delete(key)).catch(() => { });
            this.pending.set(key, pending);
        }
        return pending;
    }
}
function createCredential(config, env, hooks = {}) {
    return new ObservedCredential(baseCredential(config, env, hooks), hooks.onToken);
}


/***/ })

};
