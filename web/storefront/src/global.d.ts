/// <reference types="@tarojs/taro" />
declare const API_BASE: string;
declare module '*.png';
declare module '*.css';
