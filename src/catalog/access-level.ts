import type { AccessLevel } from './types.js';

export const ACCESS_LEVELS: readonly AccessLevel[] = [
  'List',
  'Read',
  'Write',
  'Permissions management',
  'Tagging',
];

/**
 * Maps iam-data's access-level spelling to one of AWS's five levels.
 *
 * iam-data writes combined levels such as `Permissions management, Write` and `Tagging, Write`
 * (AWS's service reference flags those actions as both IsWrite and IsPermissionManagement /
 * IsTaggingOnly), while the Service Authorization Reference tables show the specific one:
 * iam:PutRolePolicy is "Permissions management" and s3:PutObjectTagging is "Tagging".
 * Returns undefined for a spelling we do not know, so a data update cannot slip through unnoticed.
 */
export function normaliseAccessLevel(raw: string): AccessLevel | undefined {
  const parts = raw.split(',').map((p) => p.trim().toLowerCase());
  if (parts.includes('permissions management')) return 'Permissions management';
  if (parts.includes('tagging')) return 'Tagging';
  if (parts.length !== 1) return undefined;
  switch (parts[0]) {
    case 'list':
      return 'List';
    case 'read':
      return 'Read';
    case 'write':
      return 'Write';
    default:
      return undefined;
  }
}
