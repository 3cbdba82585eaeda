// Every lucide icon, loaded apart from the app's code (see icons.tsx).
export { icons } from "lucide-react";
