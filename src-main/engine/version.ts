import packageJson from '../../package.json' with { type: 'json' };

/** The studio's version, from package.json. */
export const studioVersion: string = packageJson.version;
