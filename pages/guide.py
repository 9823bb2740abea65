import streamlit as st
st.title('guide')
st.info('This page is being built.')
