// Headless entry: placeholder until the CLI lands.
console.log('fleetdesk headless');
