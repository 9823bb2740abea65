import streamlit as st
st.title('start')
st.info('This page is being built.')
