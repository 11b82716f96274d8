/**
 * NODE_ENV=production with what it requires (https links for reset and verification, the WebAuthn relying party, an MFA key; see src/production-settings.ts)
 * and the cheapest bcrypt cost it accepts.
 */
export const productionEnv: Record<string, string> = {
  NODE_ENV: 'production',
  BCRYPT_COST: '10',
  PASSWORD_RESET_URL: 'https://app.example.com/reset-password',
  EMAIL_VERIFICATION_URL: 'https://app.example.com/verify-email',
  WEBAUTHN_RP_ID: 'app.example.com',
  WEBAUTHN_RP_NAME: 'Example',
  WEBAUTHN_ORIGINS: 'https://app.example.com',
  MFA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
