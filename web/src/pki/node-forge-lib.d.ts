// node-forge's modules register themselves on the one forge object; @types/node-forge types it.
declare module 'node-forge/lib/forge' {
  import forge from 'node-forge';
  export default forge;
}
declare module 'node-forge/lib/pki';
declare module 'node-forge/lib/pkcs12';
declare module 'node-forge/lib/sha256';
declare module 'node-forge/lib/sha1';
declare module 'node-forge/lib/des';
declare module 'node-forge/lib/random';
