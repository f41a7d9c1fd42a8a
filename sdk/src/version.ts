/** The SDK version plugins declare a range against. Kept equal to sdk/package.json (a test checks). */
export const SDK_VERSION = '1.1.0';
