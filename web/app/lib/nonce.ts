// The Content-Security-Policy nonce of the page being rendered: web/server.ts makes one per
// request and names it in the policy, entry.server.tsx provides it, and root.tsx gives it to
// the scripts Remix writes inline. In the browser it is empty: the page's scripts already ran.
import { createContext, useContext } from 'react';

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** This response's CSP nonce. */
    cspNonce?: string;
    /** The browser's address, as the web server trusts it (LIBRELOG_TRUSTED_PROXIES). */
    clientAddress?: string;
  }
}

export const NonceContext = createContext('');
export const useNonce = () => useContext(NonceContext);
