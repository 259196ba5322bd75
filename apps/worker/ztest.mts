import { z } from 'zod';
const S = z.object({
  A: z.string().min(3),
  K: z.string().optional(),
  P: z.string().optional(),
}).refine((v) => !v.P || (v.K ?? '').includes(v.P), {
  path: ['P'], message: 'not in K',
  when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'K' || i.path?.[0] === 'P'),
}).transform(({ K, P, ...rest }) => ({ ...rest, ring: K ? K + '/' + (P ?? '') : null }));
console.log(JSON.stringify(S.safeParse({ A: 'x', K: 'abc', P: 'z' }).error?.issues.map(i => i.path.join('.') + ':' + i.message)));
console.log(JSON.stringify(S.safeParse({ A: 'xyz', K: 'abc', P: 'b' })));
