// The package ships no type declarations; this is the part of its API the plugin uses.
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    /** Decodes one JPEG lossless (ITU T.81 process 14) frame; 16-bit samples for precision above 8. */
    decompress(buffer: ArrayBuffer, offset?: number, length?: number): ArrayBuffer;
  }
}
