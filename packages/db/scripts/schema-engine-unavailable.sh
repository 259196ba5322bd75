#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded offline.
# Migrations run through the WebAssembly engine instead: `pnpm db:migrate`, `pnpm db:migration NAME`.
echo "The native Prisma schema engine is not installed; use 'pnpm db:migrate' / 'pnpm db:migration NAME'." >&2
exit 1
