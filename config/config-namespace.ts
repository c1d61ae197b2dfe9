/** The namespace of the program's stack config keys (`platform:tier`). */
export const configNamespace = "platform";
