import { registerEnumType } from 'type-graphql';
import { NoticeTopic } from './notice-topic';

registerEnumType(NoticeTopic, {
  name: 'NoticeTopic',
  description:
    'What an e-mail notice is about: LOGIN, ORDER (accepted, approved, executed, rejected, cancelled, failed), CREDENTIAL (passwords, certificates, e-mail address, lock), LIMIT, EMERGENCY_STOP',
});
