import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'tessera:public';

/** Marks a route (or controller) as deliberately open; everything else is denied by default. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
