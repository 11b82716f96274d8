import { builder } from './builder.ts';
import './user.ts';
import './session.ts';
import './password.ts';
import './account.ts';
import './admin.ts';
import './passkeys.ts';
import './mfa.ts';

export const schema = builder.toSchema({ sortSchema: false });
