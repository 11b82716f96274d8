/**
 * NODE_ENV=production with what it requires (an https reset link and an MFA key, see src/production-settings.ts)
 * and the cheapest bcrypt cost it accepts.
 */
export const productionEnv: Record<string, string> = {
  NODE_ENV: 'production',
  BCRYPT_COST: '10',
  PASSWORD_RESET_URL: 'https://app.example.com/reset-password',
  MFA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};
