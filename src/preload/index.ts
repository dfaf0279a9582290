// The renderer talks to the core over the loopback admin API only, exactly as it does in a plain
// browser, so the sandboxed preload exposes nothing. It stays as the one place a named, narrow
// function would go should the page ever need something only the shell knows.
export {};
