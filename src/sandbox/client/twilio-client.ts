export function createSandboxTwilioClient(): void {}
