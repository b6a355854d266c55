import { optionalEnv } from '../env';

export function publicUrl(path: string): string {
  const base = optionalEnv('PUBLIC_BASE_URL') ?? 'http://localhost:3000';
  return `${base.replace(/\/$/, '')}${path}`;
}
