/** The zengin-code package (bank and branch codes of Japan) ships no types; this is the shape of its data. */
declare module 'zengin-code' {
  interface ZenginCodeBranch {
    code: string;
    name: string;
    kana: string;
    hira: string;
    roma: string;
  }
  interface ZenginCodeBank extends ZenginCodeBranch {
    branches: Record<string, ZenginCodeBranch>;
  }
  const banks: Record<string, ZenginCodeBank>;
  export = banks;
}
